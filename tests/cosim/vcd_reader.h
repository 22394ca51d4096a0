#pragma once
// A small reader for the VCD that fst2vcd prints: the value changes of chosen signals,
// by their full dotted name, e.g. "TOP.irqlab_cosim_top.irq_src_o". Independent of
// irqlab's own code, so waves can be checked against results.
#include <cstdint>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace irqlab::test {

struct ValueChange {
  std::uint64_t time;
  std::uint64_t value;
};

class VcdReader {
 public:
  explicit VcdReader(const std::string& text) { parse(text); }

  // Changes of a signal in time order; empty if the signal is unknown.
  std::vector<ValueChange> changes(const std::string& name) const {
    const auto it = ids_.find(name);
    if (it == ids_.end()) return {};
    const auto ch = changes_.find(it->second);
    return ch == changes_.end() ? std::vector<ValueChange>{} : ch->second;
  }
  bool has(const std::string& name) const { return ids_.count(name) != 0; }

  // Every signal's full name, sorted.
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& [name, id] : ids_) out.push_back(name);
    return out;
  }

  // The signal's value at `time`: its last change at or before it.
  std::uint64_t value_at(const std::string& name, std::uint64_t time) const {
    std::uint64_t value = 0;
    for (const ValueChange& c : changes(name)) {
      if (c.time > time) break;
      value = c.value;
    }
    return value;
  }

  // First time at which the signal satisfies pred, or UINT64_MAX.
  template <typename P>
  std::uint64_t first_time(const std::string& name, P pred) const {
    for (const ValueChange& c : changes(name))
      if (pred(c.value)) return c.time;
    return UINT64_MAX;
  }

 private:
  void parse(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> scope;
    std::string token;
    std::uint64_t time = 0;
    bool definitions = true;
    while (in >> token) {
      if (definitions) {
        if (token == "$scope") {
          std::string kind, name, end;
          in >> kind >> name >> end;
          scope.push_back(name);
        } else if (token == "$upscope") {
          in >> token;
          scope.pop_back();
        } else if (token == "$var") {
          std::string type, width, id, name, rest;
          in >> type >> width >> id >> name;
          while (in >> rest && rest != "$end") {}  // optional bit range
          std::string full;
          for (const std::string& s : scope) full += s + ".";
          ids_[full + name] = id;
        } else if (token == "$enddefinitions") {
          in >> token;
          definitions = false;
        }
        continue;
      }
      if (token[0] == '#') {
        time = std::stoull(token.substr(1));
      } else if (token[0] == 'b' || token[0] == 'B') {
        std::string id;
        in >> id;
        changes_[id].push_back({time, bits(token.substr(1))});
      } else if (token[0] == '0' || token[0] == '1' || token[0] == 'x' || token[0] == 'z') {
        changes_[token.substr(1)].push_back({time, token[0] == '1' ? 1U : 0U});
      }
    }
  }

  static std::uint64_t bits(const std::string& s) {
    std::uint64_t v = 0;
    for (char c : s) v = (v << 1) | (c == '1' ? 1U : 0U);
    return v;
  }

  std::map<std::string, std::string> ids_;
  std::map<std::string, std::vector<ValueChange>> changes_;
};

}  // namespace irqlab::test
