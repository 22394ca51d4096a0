#pragma once
// Uniform draws from the traffic's seeded mt19937_64 (net/traffic.h, Randomness): rejection
// sampling on the raw generator output, so the result is the same with every standard
// library (std distributions are not). Belongs to the thread that owns the generator.
#include <cstdint>
#include <limits>
#include <random>

namespace irqlab::models::net {

// A value in [min, max], every one equally likely; min == max draws nothing.
inline std::uint64_t uniform_draw(std::mt19937_64& rng, std::uint64_t min, std::uint64_t max) {
  if (min == max) return min;
  const std::uint64_t n = max - min + 1;  // max - min < 2^64 - 1 for every caller's range
  // Of the 2^64 raw values, the top 2^64 mod n are rejected so that every value is equally likely.
  const std::uint64_t rejected = (std::numeric_limits<std::uint64_t>::max() % n + 1) % n;
  std::uint64_t x = rng();
  while (x > std::numeric_limits<std::uint64_t>::max() - rejected) x = rng();
  return min + x % n;
}

}  // namespace irqlab::models::net
