#pragma once
// A metric path names one value of a results document (docs/expectations.md, "Paths"):
// dot-separated segments; on an object a segment is a key, on an array it is the `name`
// of an element (`sources.nic`, `lwps.idle/0`) or else a decimal index (`cpus.0`). A name
// may itself hold dots: a segment is tried alone, then joined with the ones after it, and
// the first that leads to a value is taken. Pure functions; any context.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace irqlab::cosim::expect {

// The value `path` names in `doc` (an object, an array or a scalar), or null when it
// names nothing.
const nlohmann::ordered_json* find_metric(const nlohmann::ordered_json& doc, std::string_view path);

// The path of every scalar value of `doc` other than null, in document order; arrays of
// arrays (the histograms' [value, count] pairs) are left out.
std::vector<std::string> value_paths(const nlohmann::ordered_json& doc);

// Up to `count` of `paths` nearest to `path`: fewest single-character edits first, ties in
// the order of `paths`.
std::vector<std::string> nearest_paths(const std::vector<std::string>& paths, std::string_view path,
                                       std::size_t count);

// Levenshtein distance in bytes.
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace irqlab::cosim::expect
