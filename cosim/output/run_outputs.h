#pragma once
// The names of every file and directory a run writes into its output directory: the one
// list that says what irqlab owns there. A run clears these (and only these) from a
// reused directory before it starts, so no stale output survives next to new ones; a
// new output is added here.
#include <array>
#include <string_view>

namespace irqlab::cosim {

inline constexpr std::array<std::string_view, 13> kRunOutputs = {
    "results.json",              // results/run_report.h (a comparison's too)
    "samples.jsonl",             // results/samples_file.h
    "waves.fst",                 // the RTL domain's FST writer
    "waves.fst.hier",            // its sidecar while the FST is open
    "waves.gtkw",                // waves/gtkw_writer.h
    "waves-filters",             // GTKWave translate filters: per-run names (directory)
    "rx-delivered.pcap",         // nic/nic_sink.h
    "tx.pcap",                   // nic/nic_sink.h
    "timeline.json",             // the Perfetto timeline (Chrome JSON trace format)
    "latency-histogram.txt",     // cyclictest-format histogram, cycles
    "latency-histogram-us.txt",  // the same in microseconds at the run's clock
    "report.html",               // irqlab report
    "report-plots",              // its PNG and SVG plots (directory)
};

}  // namespace irqlab::cosim
