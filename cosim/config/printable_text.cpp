#include "config/printable_text.h"

#include <cstdint>

namespace irqlab::cosim {

namespace {

// The code point of the UTF-8 sequence at text[at] and its length, or nullopt when the
// bytes there are not one (bad lead or continuation byte, overlong form, surrogate, or
// above U+10FFFF; RFC 3629 §4).
struct CodePoint {
  char32_t value;
  std::size_t length;
};

std::optional<CodePoint> decode(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(text[i]); };
  const std::uint8_t lead = byte(at);
  if (lead < 0x80) return CodePoint{lead, 1};
  std::size_t length = 0;
  char32_t value = 0;
  char32_t smallest = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, value = lead & 0x1F, smallest = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, value = lead & 0x0F, smallest = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, value = lead & 0x07, smallest = 0x10000;
  } else {
    return std::nullopt;
  }
  if (at + length > text.size()) return std::nullopt;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(at + i) & 0xC0) != 0x80) return std::nullopt;
    value = value << 6 | (byte(at + i) & 0x3F);
  }
  if (value < smallest || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
    return std::nullopt;
  return CodePoint{value, length};
}

bool breaks_a_line(char32_t c) {
  return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0x2028 || c == 0x2029;
}

std::string hex(unsigned value, int digits) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) out += kDigits[(value >> shift) & 0xF];
  return out;
}

std::string escape(char32_t c) {
  switch (c) {
    case '\n':
      return "\\n";
    case '\t':
      return "\\t";
    case '\r':
      return "\\r";
    default:
      return c < 0x100 ? "\\x" + hex(c, 2) : "\\u" + hex(c, 4);
  }
}

}  // namespace

std::optional<std::string> name_problem(std::string_view text) {
  if (text.empty()) return "a name must not be empty";
  if (text.size() > kMaxNameBytes)
    return "a name must be at most " + std::to_string(kMaxNameBytes) + " bytes long, got " +
           std::to_string(text.size());
  for (std::size_t at = 0; at < text.size();) {
    const std::optional<CodePoint> c = decode(text, at);
    if (!c)
      return "a name must be valid UTF-8: byte " + std::to_string(at + 1) + " (\\x" +
             hex(static_cast<std::uint8_t>(text[at]), 2) + ") is not";
    if (breaks_a_line(c->value))
      return "a name must be printable: character " + escape(c->value) + " at byte " +
             std::to_string(at + 1);
    at += c->length;
  }
  return std::nullopt;
}

std::string escape_for_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    const std::optional<CodePoint> c = decode(text, at);
    if (!c) {
      out += "\\x" + hex(static_cast<std::uint8_t>(text[at]), 2);
      ++at;
      continue;
    }
    if (breaks_a_line(c->value))
      out += escape(c->value);
    else
      out.append(text.substr(at, c->length));
    at += c->length;
  }
  return out;
}

}  // namespace irqlab::cosim
