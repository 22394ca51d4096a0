#include "line_schedule.h"

#include <fstream>
#include <stdexcept>

namespace irqlab::bench {

void write_line_schedule(const std::filesystem::path& file, const LineSchedule& schedule) {
  std::ofstream out(file);
  for (const LineChange& change : schedule) out << change.cycle << ' ' << change.lines << '\n';
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

LineSchedule read_line_schedule(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  LineSchedule schedule;
  LineChange change;
  while (in >> change.cycle >> change.lines) {
    if (!schedule.empty() && change.cycle <= schedule.back().cycle)
      throw std::runtime_error(file.string() + ": cycles out of order at " + std::to_string(change.cycle));
    schedule.push_back(change);
  }
  if (!in.eof())
    throw std::runtime_error(file.string() + ": malformed line after cycle " + std::to_string(change.cycle));
  return schedule;
}

}  // namespace irqlab::bench
