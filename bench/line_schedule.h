#pragma once
// The stimulus every harness applies: the value of the SoC's external interrupt lines
// (ext_irq_i) from a given cycle on. The bench computes it once per workload and hands it
// to the harness programs as a file, so all of them drive the same lines at the same
// cycles as irqlab does.
#include <cstdint>
#include <filesystem>
#include <vector>

namespace irqlab::bench {

struct LineChange {
  std::uint64_t cycle = 0;  // applied at the falling edge in the middle of this cycle
  std::uint32_t lines = 0;  // ext_irq_i from then on
};

// In increasing cycle order, one change per cycle at most.
using LineSchedule = std::vector<LineChange>;

// One "cycle lines" pair per text line. Both throw std::runtime_error naming the file.
void write_line_schedule(const std::filesystem::path& file, const LineSchedule& schedule);
LineSchedule read_line_schedule(const std::filesystem::path& file);

}  // namespace irqlab::bench
