#include "regress/junit.h"

#include <cstdint>
#include <cstdio>

namespace irqlab::cosim::regress {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence at `text[i]`, or 0 (overlong forms, surrogates and
// code points above U+10FFFF are not valid).
std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  std::size_t length = 0;
  std::uint32_t code = 0;
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code = lead & 0x07;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  const bool overlong = (length == 3 && code < 0x800) || (length == 4 && code < 0x10000);
  const bool surrogate = code >= 0xD800 && code <= 0xDFFF;
  // U+FFFE and U+FFFF are not XML characters either.
  if (overlong || surrogate || code > 0x10FFFF || code == 0xFFFE || code == 0xFFFF) return 0;
  return length;
}

std::string seconds_text(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", seconds);
  return text;
}

// The id's two parts: "<stem>/<variant>".
std::pair<std::string, std::string> split_id(const std::string& id) {
  const std::size_t slash = id.find('/');
  if (slash == std::string::npos) return {id, id};
  return {id.substr(0, slash), id.substr(slash + 1)};
}

bool is_error(const CaseResult& r) {
  return r.end.how == CaseEnd::How::not_started || r.end.how == CaseEnd::How::lost;
}

}  // namespace

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    const std::size_t length = utf8_length(text, i);
    if (length == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    if (length > 1) {
      out.append(text.substr(i, length));
      i += length;
      continue;
    }
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\t':
        out += "&#9;";
        break;
      case '\n':
        out += "&#10;";
        break;
      case '\r':
        out += "&#13;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
          out += kReplacement;
        } else {
          out += c;
        }
    }
    ++i;
  }
  return out;
}

std::string junit_report(const std::vector<CaseResult>& results, double wall_seconds) {
  std::size_t failures = 0;
  std::size_t errors = 0;
  for (const CaseResult& r : results)
    if (!r.passed) ++(is_error(r) ? errors : failures);
  const std::string counts = " tests=\"" + std::to_string(results.size()) + "\" failures=\"" +
                             std::to_string(failures) + "\" errors=\"" + std::to_string(errors) +
                             "\" time=\"" + seconds_text(wall_seconds) + "\"";
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  xml += "<testsuites name=\"irqlab regress\"" + counts + ">\n";
  xml += "  <testsuite name=\"irqlab\"" + counts + " skipped=\"0\">\n";
  for (const CaseResult& r : results) {
    const auto [classname, name] = split_id(r.end.id);
    xml += "    <testcase classname=\"" + xml_escape(classname) + "\" name=\"" + xml_escape(name) +
           "\" time=\"" + seconds_text(r.wall_seconds.value_or(0.0)) + "\"";
    if (r.passed) {
      xml += "/>\n";
      continue;
    }
    const char* element = is_error(r) ? "error" : "failure";
    xml += ">\n      <" + std::string(element) + " message=\"" + xml_escape(r.reason) +
           "\" type=\"" + (is_error(r) ? "launcher" : "irqlab") + "\">" +
           xml_escape(r.reason + "\n" + r.details) + "</" + element + ">\n    </testcase>\n";
  }
  xml += "  </testsuite>\n</testsuites>\n";
  return xml;
}

}  // namespace irqlab::cosim::regress
