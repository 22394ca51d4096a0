#include "run/runner.h"

#include <chrono>
#include <spdlog/spdlog.h>
#include <systemc>

#include "bridge/tlul_bridge.h"
#include "bus/router.h"
#include "cpu/cpu.h"
#include "kernel.h"
#include "workload/workload.h"
#include "log/sim_log.h"
#include "log/trace_log.h"
#include "memory/memory.h"
#include "metrics/latency_metrics.h"
#include "results/run_report.h"
#include "results/samples_file.h"
#include "rtl/rtl_domain.h"
#include "soc_map.h"
#include "stimulus/stimulus.h"
#include "sync/lazy_clock.h"
#include "waves/gtkw_writer.h"
#include "waves/kernel_probes.h"

namespace irqlab::cosim {

namespace {

kernel::KernelConfig kernel_config(const Scenario& s) {
  kernel::KernelConfig k;
  k.costs = s.costs;
  k.cpus = s.harts;
  k.tick = s.tick;
  k.personality = s.personality;
  k.platform.plic_base = soc::kPlicBase;
  k.platform.plic_sources = soc::kNumSources;
  k.platform.plic_contexts = soc::kMaxHarts;
  k.platform.plic_max_priority = soc::kMaxPriority;
  k.platform.timer_base = soc::kTimerBase;
  k.platform.ipi_base = soc::kIpiBase;
  for (unsigned h = 0; h < s.harts; ++h) {
    k.platform.timer_source.push_back(soc::timer_source(h));
    k.platform.ipi_source.push_back(soc::ipi_source(h));
  }
  for (const InjectedSource& src : s.sources)
    if (!src.deferred) k.injected.push_back(src.irq);
  return k;
}

// The scenario's scripted threads, plus its sources with deferred work.
kernel::Workload workload(const Scenario& s) {
  kernel::Workload w = s.workload;
  for (const InjectedSource& src : s.sources)
    if (src.deferred)
      w.irqs.push_back({src.name, src.irq.source, src.irq.priority, src.irq.cpus, src.irq.handler_cycles, *src.deferred});
  return w;
}

std::vector<models::LineStimulus> stimulus_lines(const Scenario& s) {
  std::vector<models::LineStimulus> lines;
  for (const InjectedSource& src : s.sources)
    if (src.stimulus) lines.push_back(*src.stimulus);
  return lines;
}

std::vector<SourceReport> source_reports(const Scenario& s, const LatencyMetrics& metrics) {
  std::vector<SourceReport> out;
  for (unsigned h = 0; h < s.harts && s.tick.period != 0; ++h)
    out.push_back({soc::timer_source(h), "timer" + std::to_string(h), "timer", s.tick.priority, {}});
  for (const InjectedSource& src : s.sources)
    out.push_back({src.irq.source, src.name, "injected", src.irq.priority, {}});
  for (SourceReport& r : out) r.latency.source = r.source;
  for (const SourceLatency& l : metrics.sources())
    for (SourceReport& r : out)
      if (r.source == l.source) r.latency = l;
  return out;
}

// The first request of a scenario source: where a user looking at the waves starts.
std::optional<Cycle> first_injected_request(const RunReport& report) {
  std::optional<Cycle> first;
  for (const SourceReport& r : report.sources)
    if (r.kind == "injected" && r.latency.first_t0)
      first = std::min(first.value_or(*r.latency.first_t0), *r.latency.first_t0);
  return first;
}

}  // namespace

int run_scenario(const Scenario& scenario, const RunOptions& options) {
  std::filesystem::create_directories(options.out_dir);
  const auto fst_path = options.out_dir / "waves.fst";
  const sc_core::sc_time period(static_cast<double>(scenario.clock_period_ps), sc_core::SC_PS);

  RunReport report;
  report.scenario = &scenario;

  std::optional<WaveOptions> waves;
  if (scenario.waves.enabled)
    waves = WaveOptions{fst_path, scenario.waves.start, scenario.waves.end.value_or(LazyClock::kNever),
                        scenario.waves.depth};
  RtlDomain rtl(scenario.clock_period_ps, waves, scenario.skip_quiescent);
  LazyClock clock("clock", rtl, period, scenario.harts, scenario.duration_cycles);
  const LogClockScope log_clock([&clock] { return clock.now(); });
  models::Cpu cpu("cpu", scenario.harts, period, scenario.instructions, scenario.seed, clock);
  models::Router router("bus", period, scenario.bus);
  TlulBridge bridge("soc_port", clock);
  models::Memory ram("ram", soc::kRamBase, soc::kRamSize, scenario.memory_latency * period);
  router.add_window("soc", soc::kRegisterWindowBase, soc::kRegisterWindowSize);
  router.add_window("ram", soc::kRamBase, soc::kRamSize);
  cpu.bus.bind(router.target);
  router.initiator.bind(bridge.target);
  router.initiator.bind(ram.target);
  models::Stimulus stimulus("stimulus", stimulus_lines(scenario), scenario.seed, rtl);

  SamplesFile samples(options.out_dir / kSamplesFileName, scenario);
  LatencyMetrics metrics(samples);
  KernelProbes probes(rtl);
  kernel::Tracer tracer;
  tracer.attach(&metrics);
  if (scenario.waves.enabled) tracer.attach(&probes);
  TraceLog trace_log;
  if (spdlog::should_log(spdlog::level::debug)) tracer.attach(&trace_log);
  rtl.add_observer(&metrics);

  // A kernel that refuses its configuration or scripts fails the run like any other
  // kernel error: complete results, closed waves.
  std::optional<kernel::Kernel> kernel;
  std::optional<kernel::WorkloadRunner> scripts;
  try {
    kernel.emplace(cpu, kernel_config(scenario), tracer);
    scripts.emplace(*kernel, workload(scenario));
  } catch (const std::exception& e) {
    report.ok = false;
    report.error = std::string("kernel set-up: ") + e.what();
  }

  const auto wall_start = std::chrono::steady_clock::now();
  if (report.ok) {
    for (const kernel::DeferredStats& d : kernel->stats().deferred)
      for (const InjectedSource& src : scenario.sources)
        if (src.deferred && src.name == d.name) metrics.map_deferred(d.id, src.irq.source);
    cpu.attach(*kernel);
    spdlog::info("running {} on {} harts for {} cycles", scenario.name, scenario.harts, scenario.duration_cycles);
    try {
      sc_core::sc_start(static_cast<double>(scenario.duration_cycles) * period);
    } catch (const std::exception& e) {
      report.ok = false;
      report.error = e.what();
    }
  }
  if (cpu.failure()) {
    report.ok = false;
    report.error = *cpu.failure();
  }
  rtl.close_waves();
  // The speed a user waits for: the simulation and, with waves, writing them out.
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();

  if (!samples.close() && report.ok) {
    report.ok = false;
    report.error = std::string("cannot write ") + kSamplesFileName;
  }
  report.samples_file = kSamplesFileName;
  report.simulated_cycles = std::max(clock.now(), std::min(rtl.cycle(), scenario.duration_cycles));
  report.sources = source_reports(scenario, metrics);
  if (kernel) report.kernel = kernel->stats();
  report.unhandled = metrics.unhandled();
  write_results_json(report, options.out_dir / "results.json");
  if (scenario.waves.enabled)
    write_gtkw(options.out_dir / "waves.gtkw", fst_path, scenario.harts,
               std::min<unsigned>(report.kernel.locks.size(), soc::kLockProbes), scenario.clock_period_ps,
               first_injected_request(report));
  if (options.print_table) print_summary(report, stdout);
  spdlog::info("simulated {} cycles in {:.3f} s ({:.0f} cycles/s); RTL evaluated {} cycles, skipped {}; outputs in {}",
               report.simulated_cycles, wall, wall > 0 ? static_cast<double>(report.simulated_cycles) / wall : 0.0,
               rtl.evaluated_cycles(), rtl.skipped_cycles(), options.out_dir.string());
  if (!report.ok) spdlog::error("run failed: {}", *report.error);
  return report.ok ? 0 : 1;
}

}  // namespace irqlab::cosim
