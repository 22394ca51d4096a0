#include "run/runner.h"

#include <chrono>
#include <memory>
#include <spdlog/spdlog.h>
#include <systemc>
#include <utility>

#include "bridge/coherent_ram.h"
#include "bridge/dma_bridge.h"
#include "bridge/tlul_bridge.h"
#include "bus/router.h"
#include "cpu/cpu.h"
#include "kernel.h"
#include "log/progress_line.h"
#include "log/sim_log.h"
#include "memory/memory.h"
#include "net/mac_tx_sink.h"
#include "net/mac_wire.h"
#include "net/traffic.h"
#include "rtl/rtl_configuration.h"
#include "rtl/rtl_domain.h"
#include "run/output_dir.h"
#include "run/sink_registry.h"
#include "soc_map.h"
#include "stimulus/stimulus.h"
#include "sync/lazy_clock.h"
#include "waves/kernel_probes.h"
#include "workload/workload.h"

namespace irqlab::cosim {

namespace {

kernel::KernelConfig kernel_config(const Scenario& s) {
  kernel::KernelConfig k;
  k.costs = s.costs;
  k.cpus = s.harts;
  k.tick = s.tick;
  k.threshold_floor = s.threshold_floor;
  k.spinout_cycles = s.spinout_cycles;
  k.personality = s.personality;
  k.nic = s.nic;
  k.crypto = s.crypto;
  k.ipsec = s.ipsec;
  k.platform.plic_sources = soc::kPlicSources;
  k.platform.plic_contexts = soc::kMaxHarts;
  k.platform.plic_max_priority = built_rtl().max_priority;
  k.platform.ram_base = soc::kRamBase;
  k.platform.ram_size = soc::kRamSize;
  // The SoC description's devices, in its order (the interrupt controller first).
  for (const soc::Device& d : built_rtl().devices) {
    kernel::PlatformDevice device{d.name, d.base, {}};
    for (unsigned line = 0; line < (d.line_per_hart ? s.harts : d.lines); ++line)
      device.sources.push_back(d.first_source + line);
    k.platform.devices.push_back(std::move(device));
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
      w.irqs.push_back({src.name, src.irq.source, src.irq.priority, src.irq.cpus,
                        src.irq.handler_cycles, *src.deferred});
  return w;
}

std::vector<models::LineStimulus> stimulus_lines(const Scenario& s) {
  std::vector<models::LineStimulus> lines;
  for (const InjectedSource& src : s.sources)
    if (src.stimulus) lines.push_back(*src.stimulus);
  return lines;
}

// Names of the interrupt sources the run uses, as results.json names them.
std::vector<std::pair<unsigned, std::string>> source_names(const Scenario& s) {
  std::vector<std::pair<unsigned, std::string>> names;
  for (unsigned h = 0; h < s.harts && s.tick.period != 0; ++h)
    names.emplace_back(soc::timer_source(h), "timer" + std::to_string(h));
  for (unsigned h = 0; h < s.harts && s.harts > 1; ++h)
    names.emplace_back(soc::ipi_source(h), "ipi" + std::to_string(h));
  for (const InjectedSource& src : s.sources) names.emplace_back(src.irq.source, src.name);
  if (s.nic.present) names.emplace_back(built_rtl().nic_source, "nic");
  if (s.crypto.present) names.emplace_back(built_rtl().crypto_source, "crypto");
  return names;
}

}  // namespace

int run_scenario(const Scenario& scenario, const RunOptions& options) {
  const Watchdog watchdog(options.limits);
  clear_run_outputs(options.out_dir);
  const auto fst_path = options.out_dir / "waves.fst";
  const sc_core::sc_time period(static_cast<double>(scenario.clock_period_ps), sc_core::SC_PS);

  RunSummary summary;

  std::optional<WaveOptions> waves;
  if (scenario.waves.enabled)
    waves =
        WaveOptions{fst_path, scenario.waves.start, scenario.waves.end.value_or(LazyClock::kNever),
                    scenario.waves.depth, scenario.harts};
  RtlDomain rtl(scenario.clock_period_ps, waves, scenario.skip_quiescent,
                options.evaluate_every_falling_edge);
  LazyClock clock("clock", rtl, period, scenario.harts, scenario.duration_cycles);
  const LogClockScope log_clock([&clock] { return clock.now(); });
  models::Cpu cpu("cpu", scenario.harts, period, scenario.instructions, scenario.seed, clock);
  models::Router router("bus", period, scenario.bus);
  TlulBridge bridge("soc_port", clock);
  models::Memory ram("ram", soc::kRamBase, soc::kRamSize, scenario.memory_latency * period);
  CoherentRam ram_doors("ram_doors", clock);
  router.add_window("soc", soc::kRegisterWindowBase, soc::kRegisterWindowSize);
  router.add_window("ram", soc::kRamBase, soc::kRamSize);
  cpu.bus.bind(router.target);
  router.initiator.bind(bridge.target);
  router.initiator.bind(ram_doors.harts);
  ram_doors.memory.bind(ram.target);
  // Device DMA reaches only the RAM, through an interconnect as slow as the harts' bus. The
  // NIC's and the crypto engine's masters share the bridge: it keeps no state between
  // accesses, and the RTL domain performs each accepted access on its own.
  models::Router dma_bus("dma_bus", period, scenario.bus);
  DmaBridge dma("device_dma", period);
  dma_bus.add_window("ram", soc::kRamBase, soc::kRamSize);
  dma.initiator.bind(dma_bus.target);
  dma_bus.initiator.bind(ram_doors.dma);
  models::Stimulus stimulus("stimulus", stimulus_lines(scenario), scenario.seed, rtl);

  // The NIC's wire: the scenario's traffic into its MAC (idle without), and a sink for what
  // it transmits; both report their frames into the run's event stream.
  kernel::Tracer tracer;
  // What each ESP frame must become (the traffic source records it as it builds the frame).
  models::net::EspExpectations esp_expectations;
  std::unique_ptr<models::net::TrafficSource> traffic;
  std::optional<models::net::MacWire> wire;
  if (scenario.traffic.present) {
    traffic = models::net::make_traffic(scenario.traffic, scenario.seed, &esp_expectations);
    wire.emplace(*traffic, scenario.traffic.line_rate_gbps, scenario.clock_period_ps,
                 [&tracer](const models::net::OfferedFrame& f) {
                   tracer.emit_frame(f.cycle, 0, kernel::TraceKind::FrameOffered,
                                     static_cast<std::uint32_t>(f.sequence),
                                     static_cast<std::uint32_t>(f.wire_bytes.size()), f.wire_bytes);
                 });
  }
  models::net::MacTxSink transmitted([&tracer](const models::net::TransmittedFrame& f) {
    tracer.emit_frame(f.cycle, 0, kernel::TraceKind::FrameTransmitted,
                      static_cast<std::uint32_t>(f.wire_bytes.size()), 0, f.wire_bytes);
  });
  rtl.attach_nic(dma, wire ? &*wire : nullptr, transmitted);
  rtl.attach_crypto(dma);

  const std::vector<std::unique_ptr<RunSink>> sinks = make_sinks(
      scenario, options, rtl,
      scenario.traffic.present && scenario.traffic.payload == models::net::TrafficPayload::Esp
          ? &esp_expectations
          : nullptr);
  for (const auto& sink : sinks) {
    sink->begin({scenario, options.out_dir, options.run_id});
    tracer.attach(sink.get());
  }
  rtl.emit_into(tracer);
  const std::vector<std::pair<unsigned, std::string>> sources = source_names(scenario);
  for (const auto& [id, name] : sources)
    tracer.announce(0, 0, kernel::TraceKind::AnnounceSource, id, name);

  // A kernel that refuses its configuration or scripts fails the run like any other
  // kernel error: complete results, closed waves.
  std::optional<kernel::Kernel> kernel;
  std::optional<kernel::WorkloadRunner> scripts;
  try {
    kernel.emplace(cpu, kernel_config(scenario), tracer);
    scripts.emplace(*kernel, workload(scenario));
  } catch (const std::exception& e) {
    summary.fail(std::string("kernel set-up: ") + e.what());
  }
  if (summary.ok && scenario.waves.enabled)
    if (const auto shortage = lock_probe_shortage(kernel->stats().locks.size()))
      summary.fail(*shortage);

  const auto wall_start = std::chrono::steady_clock::now();
  std::optional<Interruption> interruption;
  if (summary.ok) {
    cpu.attach(*kernel);
    spdlog::info("running {} on {} harts for {} cycles", scenario.name, scenario.harts,
                 scenario.duration_cycles);
    try {
      ProgressLine progress(scenario.personality.name, scenario.duration_cycles);
      interruption =
          simulate(clock, cpu, scenario.duration_cycles, watchdog, progress, options.pieces);
    } catch (const std::exception& e) {
      summary.fail(e.what());
    }
  }
  if (interruption) {
    spdlog::warn("interrupted by {} at cycle {}: writing the outputs{}", interruption->reason,
                 clock.now(),
                 InterruptSignals::received() != 0 ? " (a second signal aborts at once)" : "");
    summary.interrupt(interruption->reason);
  }
  if (clock.failure()) {  // an RTL assertion that failed while no hart stepped the RTL
    summary.ok = false;
    summary.error = *clock.failure();
  }
  if (cpu.failure()) {  // the CPU's own account of a kernel failure comes first
    summary.ok = false;
    summary.error = *cpu.failure();
  }
  rtl.close_waves();
  // The speed a user waits for: the simulation and, with waves, writing them out.
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();

  summary.simulated_cycles = std::max(clock.now(), std::min(rtl.cycle(), scenario.duration_cycles));
  if (kernel) {
    summary.kernel = kernel->stats();
    summary.deadlock = kernel->sched().deadlock();
  }
  for (const auto& sink : sinks) sink->end(summary);
  spdlog::info(
      "simulated {} cycles in {:.3f} s ({:.0f} cycles/s); RTL evaluated {} cycles, skipped {}; "
      "outputs in {}",
      summary.simulated_cycles, wall,
      wall > 0 ? static_cast<double>(summary.simulated_cycles) / wall : 0.0, rtl.evaluated_cycles(),
      rtl.skipped_cycles(), options.out_dir.string());
  if (summary.interrupted) {
    spdlog::warn("run {}", *summary.error);
    return interruption->exit_status;
  }
  if (!summary.ok) spdlog::error("run failed: {}", *summary.error);
  return summary.ok ? 0 : 1;
}

}  // namespace irqlab::cosim
