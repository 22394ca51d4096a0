#pragma once
// The checks a YAML tree can no longer make once loaded: yaml-cpp keeps both entries of a
// key given twice in one mapping (and lookups see only the first), and a stream may hold
// several documents of which the loader reads one. This pass reads the text's events
// (aliases are not expanded, so it is linear in the text) and refuses both, and keys that
// are not plain scalars. Called by the configuration loader before it reads a value.
#include <string>

namespace irqlab::cosim {

// Where the text came from, for the error: a file (errors carry its name and the line) or
// a command-line override (errors carry "-c <assignment>", no line).
struct YamlOrigin {
  std::string name;       // the file, or "-c key=value"
  bool has_lines = true;  // a file: say which lines
  std::string base_path;  // the key the text is the value of ("" for a whole file)
};

// Throws ConfigError "<file>:<line>: key '<path>': given twice, at lines <a> and <b> ..."
// (or "-c ...: key '<path>': given twice ...") for the first duplicate, and on a complex
// key or a second document. Call once YAML::Load has accepted the text (its errors come
// first, with their position); a parse error here returns quietly.
void check_unique_keys(const std::string& text, const YamlOrigin& origin);

}  // namespace irqlab::cosim
