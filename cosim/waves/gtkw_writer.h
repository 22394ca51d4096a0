#pragma once
// Writes a GTKWave save file that opens a run's FST with the signals grouped: a legend,
// the interrupt sources, the PLIC, each hart's kernel state, each lock's owner, the timer,
// the IPI block, the register bus, and with a NIC or a crypto engine their own groups
// (waves/README.md). Values read as names: the kernel probes' `activity` is an enum whose
// table the FST carries (its trace gets no number format, so GTKWave applies the table),
// and every probe carrying an id gets the run's translate filter (waves/wave_names.h).
// With a first interrupt, the view opens on its T0 with marker A there and marker B at
// its T2.
//
// Paths in the file are relative to the output directory (`waves.fst`,
// `waves-filters/...`): GTKWave 3.3.118 resolves them against its working directory, which
// `irqlab waves OUTDIR` sets to OUTDIR, so a moved output directory still opens.
#include <cstdint>
#include <filesystem>
#include <optional>

#include "trace/trace.h"

namespace irqlab::cosim {

struct GtkwView {
  unsigned harts = 1;
  unsigned locks = 0;  // lock owner probes shown
  bool nic = false;
  bool crypto = false;
  std::uint64_t clock_period_ps = 2;
  std::optional<kernel::Cycle> first_t0;  // the first interrupt's T0 and T2, if any
  std::optional<kernel::Cycle> first_t2;
};

// Writes `gtkw` through an AtomicFile; throws when it cannot.
void write_gtkw(const std::filesystem::path& gtkw, const GtkwView& view);

}  // namespace irqlab::cosim
