#include "waves/gtkw_paths.h"

#include <filesystem>
#include <sstream>

namespace irqlab::cosim {

namespace {

bool starts_with_filter(std::string_view line) {
  // "^N file": a file filter; "^>N" (process) and "^<N" (transaction) filters are not ours.
  return line.size() > 2 && line[0] == '^' && line[1] != '>' && line[1] != '<' && line[1] != '0';
}

std::string file_name(std::string_view path) {
  std::string p(path);
  if (p.size() >= 2 && p.front() == '"' && p.back() == '"') p = p.substr(1, p.size() - 2);
  return std::filesystem::path(p).filename().string();
}

}  // namespace

std::string relocate_gtkw(std::string_view gtkw) {
  std::ostringstream out;
  std::size_t start = 0;
  while (start < gtkw.size()) {
    std::size_t end = gtkw.find('\n', start);
    const bool newline = end != std::string_view::npos;
    if (!newline) end = gtkw.size();
    const std::string_view line = gtkw.substr(start, end - start);
    if (line.starts_with("[dumpfile] ")) {
      out << "[dumpfile] \"waves.fst\"";
    } else if (line.starts_with("[savefile] ")) {
      out << "[savefile] \"waves.gtkw\"";
    } else if (starts_with_filter(line) && line.find(' ') != std::string_view::npos) {
      const std::size_t space = line.find(' ');
      out << line.substr(0, space) << " waves-filters/" << file_name(line.substr(space + 1));
    } else {
      out << line;
    }
    if (newline) out << '\n';
    start = end + 1;
  }
  return out.str();
}

}  // namespace irqlab::cosim
