#pragma once
// Text a user wrote (names, values quoted back in errors) checked or made safe for the
// one-line outputs irqlab writes: log lines, tables, results.json, the waves' filters.
// A name must be printable UTF-8; an error message escapes what is not. Pure functions,
// callable from any context.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace irqlab::cosim {

// Longest name a scenario may give (a source, a thread, a lock, the scenario), in bytes.
inline constexpr std::size_t kMaxNameBytes = 200;

// What is wrong with `text` as a name, or nullopt: empty, longer than kMaxNameBytes, not
// valid UTF-8 (naming the first bad byte), or holding a control character (C0, DEL, C1)
// or a line or paragraph separator (U+2028, U+2029).
std::optional<std::string> name_problem(std::string_view text);

// `text` with each control character and line separator escaped (\n, \t, \r, \xNN,
// \uNNNN) and each byte that is not part of valid UTF-8 written as \xNN; the rest as is.
std::string escape_for_line(std::string_view text);

}  // namespace irqlab::cosim
