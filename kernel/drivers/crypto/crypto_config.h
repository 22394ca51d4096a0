#pragma once
// What a scenario tells the crypto engine's driver (kernel/drivers/crypto) and the
// crypto framework (kernel/crypto/ocf.h). Checked by validate_config().
#include <cstdint>
#include <vector>

namespace irqlab::kernel {

// Where crypto_done() runs a request's callback (research/kernel-semantics.md §6, §7).
enum class CryptoCallbackMode : std::uint8_t {
  Default,    // the personality's shipped mode (Personality::crypto_callback_default())
  Immediate,  // CRYPTO_F_CBIMM: in crypto_done()'s own context (the completion handler)
  Deferred,   // neutral deferred work, level Net (tasklet, swi, softint, netisr)
  Thread,     // queued to the "crypto returns" kernel thread (cryptoret), cv_signal
};
const char* crypto_callback_mode_name(CryptoCallbackMode mode);

// A legal job ring length: a power of 2 the driver can hand out (JR_SIZE).
constexpr bool crypto_ring_entries_valid(unsigned entries) {
  return entries >= 2 && entries <= 1024 && (entries & (entries - 1)) == 0;
}

struct CryptoConfig {
  bool present = false;              // the scenario has a crypto: block
  unsigned priority = 3;             // PLIC priority of the engine's source
  std::vector<unsigned> cpus;        // harts it is enabled on (empty = all)
  unsigned ring_entries = 64;        // JR_SIZE, crypto_ring_entries_valid()
  unsigned coalesce_count = 1;       // COAL.count: DONE after this many completions (0, 1: each)
  unsigned coalesce_timeout = 0;     // COAL.timeout: cycles from the first unsignalled completion (0 = off)
  unsigned max_job_bytes = 4096;     // largest request the driver accepts (its DMA slot size)
  CryptoCallbackMode callback = CryptoCallbackMode::Default;
};

}  // namespace irqlab::kernel
