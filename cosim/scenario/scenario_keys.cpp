#include "scenario/scenario_keys.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <regex>
#include <stdexcept>

#include "net/esp_packet.h"
#include "personality/registry.h"
#include "rtl/rtl_configuration.h"
#include "scenario/scenario.h"
#include "soc_map.h"

namespace irqlab::cosim {

namespace {

using T = KeyType;
constexpr std::uint64_t kAny = std::numeric_limits<std::uint64_t>::max();
// Counts of pulses a stimulus may ask for (a bound against typing errors, not a model limit).
constexpr std::uint64_t kMaxPulses = 10'000'000;
// Bus and memory latencies a scenario may ask for, in cycles (same kind of bound).
constexpr std::uint64_t kMaxBusCycles = 1000;
constexpr std::uint64_t kMaxMemoryCycles = 10'000;
// Every cycle number and amount of work (handler, deferred work, steps, gaps) is bounded
// by the longest run, so sums of them stay far from 64-bit wrap-around.
constexpr std::uint64_t kMaxCycles = kMaxDurationCycles;
// A thread's repeat count is the kernel's unsigned.
constexpr std::uint64_t kMaxRepeat = std::numeric_limits<unsigned>::max();
// A pcap replay's gaps scale at most this much (recorded microseconds stay inside a run).
constexpr std::uint64_t kMaxTimeScale = 1'000'000;
// Traffic times in ns (1e6 s: their ps fit 64 bits) and rates (one frame per ns).
constexpr std::uint64_t kMaxTrafficNs = 1'000'000'000'000'000ULL;
constexpr std::uint64_t kMaxFrameRate = 1'000'000'000ULL;
// The NIC's 16-bit timer fields (ITR, RDTR, RADV) and its ring limits (docs/rtl.md, NIC).
constexpr std::uint64_t kMaxNicTimer = 0xFFFF;
// The longest ESP payload whose frame fits the longest Ethernet frame (models/net/esp_packet.h).
constexpr std::uint64_t kMaxEspPayloadBytes = models::net::kMaxEspPayloadBytes;
// The crypto engine (crypto contract §1, docs/rtl.md): JR_SIZE up to 1024 entries, COAL's
// 8-bit COUNT and 16-bit TIMEOUT fields, the engine's MaxJobBytes parameter.
constexpr std::uint64_t kMaxCryptoRingEntries = 1024;
constexpr std::uint64_t kMaxCoalesceCount = 0xFF;
constexpr std::uint64_t kMaxCoalesceTimeout = 0xFFFF;
constexpr std::uint64_t kMaxCryptoJobBytes = 16384;
// SPIs 1..255 are reserved by IANA and 0 for local use (RFC 4303 §2.1).
constexpr std::uint64_t kMinSpi = 256;

ScenarioKey key(std::string path, KeyType type, std::string default_value, std::string description,
                std::string unit = "") {
  return {std::move(path), type, std::nullopt, 0, 0, false, std::move(default_value), std::move(unit),
          std::move(description)};
}
ScenarioKey uint_key(std::string path, std::uint64_t min, std::uint64_t max, std::string default_value,
                     std::string unit, std::string description) {
  return {std::move(path), T::Uint, std::nullopt, min, max, false, std::move(default_value), std::move(unit),
          std::move(description)};
}
// A number (double) accepted between min and max inclusive.
ScenarioKey number_key(std::string path, std::uint64_t min, std::uint64_t max,
                       std::string default_value, std::string unit, std::string description) {
  return {std::move(path),          T::Number,       std::nullopt,          min, max, false,
          std::move(default_value), std::move(unit), std::move(description)};
}
ScenarioKey required(ScenarioKey k) {
  k.required = true;
  return k;
}
ScenarioKey or_shorthand(ScenarioKey k, KeyType shorthand, std::uint64_t min = 0, std::uint64_t max = 0) {
  k.shorthand = shorthand;
  k.min = min;
  k.max = max;
  return k;
}

std::vector<ScenarioKey> core_keys() {
  const std::string last_hart = std::to_string(soc::kMaxHarts - 1);
  return {
      key("name", T::String, "the file name",
          "the scenario's name in results and tables; printable UTF-8"),
      uint_key("seed", 0, kAny, "1", "", "seeds the random stimulus and the instruction lengths"),
      required(uint_key("duration_cycles", 1, kMaxDurationCycles, "", "cycles",
                        "how long the run lasts")),
      or_shorthand(key("waves", T::Map, "true",
                       "write waves.fst and waves.gtkw; true or false for all or nothing"),
                   T::Bool),
      key("waves.enabled", T::Bool, "true", "write the waves at all"),
      uint_key("waves.start", 0, kMaxCycles, "0", "cycles",
               "first cycle written; before the end of the run"),
      uint_key("waves.end", 0, kMaxCycles, "", "cycles",
               "cycle after the last one written (default: the end of the run); after waves.start"),
      uint_key(
          "waves.depth", 1, 99, "2", "levels",
          "signal levels below the co-simulation top (99: all); kernel and lock probes always"),

      key("platform", T::Map, "", "the simulated SoC"),
      uint_key("platform.harts", 1, soc::kMaxHarts, "2", "",
               "harts; the PLIC has one context per hart"),
      uint_key("platform.clock_period_ps", 2, kMaxClockPeriodPs, "10000", "ps",
               "clock period, a positive even number; duration_cycles times it stays in SystemC's "
               "64-bit ps"),
      key("platform.bus", T::Map, "", "interconnect latency"),
      uint_key("platform.bus.request_cycles", 0, kMaxBusCycles, "1", "cycles",
               "latency to a device"),
      uint_key("platform.bus.response_cycles", 0, kMaxBusCycles, "1", "cycles",
               "latency back from a device"),
      uint_key("platform.memory_latency", 0, kMaxMemoryCycles, "2", "cycles", "RAM access"),
      or_shorthand(
          key("platform.instruction_cycles", T::Map, "1",
              "instruction length: n for all, or {min, max} drawn uniformly (seeded)", "cycles"),
          T::Uint, 1, kMaxInstructionCycles),
      uint_key("platform.instruction_cycles.min", 1, kMaxInstructionCycles, "", "cycles",
               "shortest instruction"),
      uint_key("platform.instruction_cycles.max", 1, kMaxInstructionCycles, "", "cycles",
               "longest instruction; at least min"),
      key("platform.skip_quiescent", T::Bool, "true",
          "skip RTL cycles in which only free-running counters change (results identical)"),
      key("platform.timer", T::Map, "", "the timer's CFG register"),
      uint_key("platform.timer.prescale", 0, kernel::kTimerPrescaleMax, "0", "cycles",
               "CFG.prescale: mtime advances every prescale+1 cycles"),
      uint_key("platform.timer.step", 1, kernel::kTimerStepMax, "1", "",
               "CFG.step: mtime increment per advance"),

      required(key("kernel", T::Map, "", "the kernel: cost profile, tick, interrupt architecture")),
      required(
          key("kernel.cost_profile", T::String, "", "cost profile file, relative to the scenario")),
      uint_key("kernel.tick_period", 0, kMaxCycles, "0", "mtime units",
               "between a hart's ticks; 0 = no tick"),
      uint_key("kernel.tick_priority", 1, built_rtl().max_priority, "1", "",
               "PLIC priority of the timer sources"),
      uint_key("kernel.spinout_cycles", 0, kMaxCycles, "10000000", "cycles",
               "a lock waiter spinning this long panics (spinout), naming the lock and its "
               "holder; 0 = never"),
      or_shorthand(key("kernel.personality", T::List, "none",
                       "interrupt architecture, or a list to run each and compare side by side"),
                   T::String),
      key("kernel.personality[]", T::String, "",
          "a registered personality (irqlab list), each once"),
      or_shorthand(key("kernel.threshold_floor", T::List, "0",
                       "per hart, the PLIC threshold firmware sets at boot; the kernel's IPL "
                       "thresholds never go below it, so a source at or under it never "
                       "interrupts that hart; one number for every hart"),
                   T::Uint, 0, built_rtl().max_priority),
      uint_key("kernel.threshold_floor[]", 0, built_rtl().max_priority, "", "",
               "one hart's floor, in hart order, one per hart"),

      key("sources", T::List, "", "interrupt lines driven by the stimulus"),
      key("sources[]", T::Map, "", "one line"),
      required(uint_key("sources[].source", kFirstExternalSource, kLastExternalSource, "", "",
                        "PLIC source; 16 + k is external line k")),
      key("sources[].name", T::String, "src<source>", "name in tables; printable UTF-8"),
      required(
          uint_key("sources[].priority", 1, built_rtl().max_priority, "", "", "PLIC priority")),
      required(uint_key("sources[].handler_cycles", 0, kMaxCycles, "", "cycles",
                        "what the driver's handler spends")),
      key("sources[].cpus", T::List, "all harts",
          "harts whose PLIC context enables the source; not empty (omit it for all)"),
      uint_key("sources[].cpus[]", 0, soc::kMaxHarts - 1, "", "", "a hart, below platform.harts"),
      key("sources[].deferred", T::Map, "",
          "after handler_cycles the handler asks for deferred work (needs a personality)"),
      key("sources[].deferred.level", T::String, "net", "clock, bio, net or serial"),
      key("sources[].deferred.may_block", T::Bool, "false", "the work may block on a mutex"),
      required(uint_key("sources[].deferred.cycles", 0, kMaxCycles, "", "cycles",
                        "what the work spends")),
      key("sources[].deferred.lock", T::String, "",
          "a lock held while it works (declared under locks)"),
      key("sources[].stimulus", T::Map, "",
          "pulses on the line: any mix of at, periodic, random; no overlap"),
      key("sources[].stimulus.at", T::List, "", "pulses at given cycles"),
      uint_key("sources[].stimulus.at[]", 0, kMaxCycles, "", "cycles",
               "a pulse's first cycle, before the end of the run"),
      key("sources[].stimulus.periodic", T::Map, "", "evenly spaced pulses"),
      uint_key("sources[].stimulus.periodic.start", 0, kMaxCycles, "0", "cycles", "first pulse"),
      required(uint_key("sources[].stimulus.periodic.period", 1, kMaxCycles, "", "cycles",
                        "between pulses; longer than pulse_cycles")),
      required(uint_key("sources[].stimulus.periodic.count", 0, kMaxPulses, "", "",
                        "number of pulses; the last starts before the end of the run")),
      key("sources[].stimulus.random", T::Map, "", "a Poisson process, seeded from seed"),
      uint_key("sources[].stimulus.random.start", 0, kMaxCycles, "0", "cycles", "earliest pulse"),
      required(number_key("sources[].stimulus.random.mean_gap", 0, kMaxCycles, "", "cycles",
                          "mean of the exponential part of a gap (added to min_gap); finite")),
      uint_key("sources[].stimulus.random.min_gap", 0, kMaxCycles, "pulse_cycles + 1", "cycles",
               "shortest gap; longer than pulse_cycles"),
      required(uint_key(
          "sources[].stimulus.random.count", 0, kMaxPulses, "", "",
          "number of pulses; start + count × (min_gap + mean_gap) before the end of the run")),
      uint_key("sources[].stimulus.pulse_cycles", 1, kMaxCycles, "1", "cycles",
               "how long the line stays high per pulse"),

      key("locks", T::List, "", "adaptive mutexes, by name"),
      key("locks[]", T::String, "", "a lock's name, unique, printable UTF-8"),
      key("threads", T::List, "", "scripted LWPs (kernel/workload/workload.h)"),
      key("threads[]", T::Map, "", "one LWP"),
      required(key("threads[].name", T::String, "", "the LWP's name, printable UTF-8")),
      key("threads[].user", T::Bool, "false", "a simulated user process (else a kernel thread)"),
      key("threads[].band", T::String, "by user", "timeshare, realtime or kernel"),
      uint_key("threads[].priority", 0, kAny, "0", "",
               "offset inside the band, below the band's size"),
      uint_key("threads[].cpu", 0, soc::kMaxHarts - 1, "any hart", "",
               "bound to this hart, below platform.harts"),
      uint_key("threads[].repeat", 0, kMaxRepeat, "1", "", "times the steps run; 0 = forever"),
      required(key("threads[].steps", T::List, "", "the script, in order; at least one step")),
      or_shorthand(key("threads[].steps[]", T::Map, "",
                       "exactly one of user, kernel, lock, unlock, read; or yield"),
                   T::String),
      uint_key("threads[].steps[].user", 0, kMaxCycles, "", "cycles", "user-mode work"),
      uint_key("threads[].steps[].kernel", 0, kMaxCycles, "", "cycles", "kernel work"),
      key("threads[].steps[].lock", T::String, "", "enter a mutex declared under locks"),
      key("threads[].steps[].unlock", T::String, "", "leave it"),
      uint_key(
          "threads[].steps[].read", 0, kAny, "", "address",
          "read the 32-bit register at this physical address, in decimal (a fault probe: where no "
          "device answers, the kernel panics with a bus error)"),
  };
}

// The NIC's driver settings (kernel::NicConfig) and the traffic offered to its MAC.
// Outputs a run writes besides results.json, the samples and the waves.
std::vector<ScenarioKey> output_keys() {
  return {key("timeline", T::Bool, "true",
              "write timeline.json, the Perfetto timeline (docs/timeline.md)")};
}

// The cases `irqlab regress` makes of the scenario (regress/case_matrix.h, docs/regress.md).
std::vector<ScenarioKey> regress_keys() {
  return {
      key("regress", T::Map, "",
          "irqlab regress: this scenario's cases (default: one per kernel.personality)"),
      or_shorthand(key("regress.personalities", T::List, "kernel.personality",
                       "personalities to run, one case each; replaces kernel.personality's list"),
                   T::String),
      key("regress.personalities[]", T::String, "", "a registered personality"),
      key("regress.variants", T::List, "[]", "more cases, each with its own overrides"),
      key("regress.variants[]", T::Map, "", "one case"),
      required(key("regress.variants[].name", T::String, "",
                   "ends its case id: letters, digits, '.', '_', '-'; unique in the scenario")),
      required(key("regress.variants[].overrides", T::List, "",
                   "key=value assignments as -c takes them; they select one personality")),
      key("regress.variants[].overrides[]", T::String, "", "one key=value"),
  };
}

std::vector<ScenarioKey> nic_keys() {
  return {
      key("nic", T::Map, "",
          "the NIC's kernel driver runs, with these settings (kernel/drivers/nic)"),
      uint_key("nic.priority", 1, built_rtl().max_priority, "3", "",
               "PLIC priority of the NIC's source"),
      key("nic.cpus", T::List, "all harts",
          "harts whose PLIC context enables the NIC's source; not empty (omit it for all)"),
      uint_key("nic.cpus[]", 0, soc::kMaxHarts - 1, "", "", "a hart, below platform.harts"),
      uint_key("nic.rx_descriptors", 8, 256, "64", "", "receive ring length, a multiple of 8"),
      uint_key("nic.tx_descriptors", 8, 256, "64", "", "transmit ring length, a multiple of 8"),
      uint_key("nic.buffer_size", 256, 2048, "2048", "bytes",
               "receive buffer: 256, 512, 1024 or 2048 (RCTL.BSIZE)"),
      uint_key("nic.itr", 0, kMaxNicTimer, "0", "256 ns",
               "ITR: least interval between interrupts; 0 = off"),
      uint_key("nic.rdtr", 0, kMaxNicTimer, "0", "1.024 us",
               "RDTR: receive interrupt delay, restarted per frame; 0 = an interrupt per frame"),
      uint_key("nic.radv", 0, kMaxNicTimer, "0", "1.024 us",
               "RADV: receive interrupt delay from the first frame; 0 = off"),
      key("nic.polling", T::Bool, "true", "NAPI-style: mask in the handler, poll in deferred work"),
      uint_key("nic.budget", 1, 65535, "64", "frames", "frames per poll before yielding"),
      key("nic.echo", T::Bool, "false", "transmit every delivered frame back, addresses swapped"),

      key("traffic", T::Map, "", "frames offered to the NIC's receive MAC (models/net/traffic.h)"),
      uint_key("traffic.line_rate_gbps", 1, 25, "10", "Gbit/s",
               "1, 10 or 25; 8-byte preamble, 12-byte gap"),
      key("traffic.pattern", T::String, "constant", "constant, poisson, bursts or pcap"),
      uint_key("traffic.start_ns", 0, kMaxTrafficNs, "0", "ns",
               "earliest start of the first frame"),
      uint_key("traffic.rate_pps", 0, kMaxFrameRate, "0", "frames/s",
               "constant and bursts: 0 = back to back at line rate; poisson: the mean, above 0"),
      uint_key("traffic.burst_frames", 1, kAny, "", "", "bursts (required): frames per burst"),
      uint_key("traffic.burst_period_ns", 1, kMaxTrafficNs, "", "ns",
               "bursts (required): from one burst's start to the next"),
      or_shorthand(
          key("traffic.frame_bytes", T::Map, "60",
              "frame length without FCS, or {min, max} drawn uniformly (seeded); not with pcap",
              "bytes"),
          T::Uint, 60, 1514),
      uint_key("traffic.frame_bytes.min", 60, 1514, "", "bytes", "shortest frame"),
      uint_key("traffic.frame_bytes.max", 60, 1514, "", "bytes", "longest frame; at least min"),
      key("traffic.payload", T::String, "udp",
          "udp (test frames to the discard port) or esp (ESP packets for ipsec.sa, "
          "models/net/esp_traffic.h); "
          "not with pattern pcap"),
      key("traffic.esp", T::Map, "", "payload esp: what the packets carry"),
      or_shorthand(key("traffic.esp.payload_bytes", T::List, "64",
                       "UDP payload length, n or [min, max] drawn uniformly (seeded)", "bytes"),
                   T::Uint, 1, kMaxEspPayloadBytes),
      uint_key("traffic.esp.payload_bytes[]", 1, kMaxEspPayloadBytes, "", "bytes", "min, then max"),
      uint_key("traffic.esp.bad_tag_every", 0, kAny, "0", "packets",
               "every n-th packet has a flipped tag bit (dropped: BadTag); 0 = none"),
      uint_key(
          "traffic.esp.malformed_every", 0, kAny, "0", "packets",
          "every n-th packet is malformed, in turn: short, unknown SPI, bad padding, not for us, "
          "bad IP header, no socket; before bad_tag_every; 0 = none"),
      key("traffic.pcap", T::Map, "", "pattern pcap: the file to replay"),
      required(key("traffic.pcap.file", T::String, "",
                   "Ethernet frames without FCS, relative to the scenario")),
      key("traffic.pcap.timing", T::String, "timestamps",
          "timestamps (the recorded gaps, times time_scale) or back_to_back (at line rate)"),
      number_key("traffic.pcap.time_scale", 0, kMaxTimeScale, "1", "",
                 "multiplies the recorded gaps; above 0"),
      uint_key("traffic.count", 0, kAny, "0", "frames", "stop after this many; 0 = no limit"),
      uint_key("traffic.duration_ns", 1, kMaxTrafficNs, "", "ns",
               "frames start before start_ns + duration_ns (default: no limit)"),
  };
}

// The crypto engine's driver and framework (kernel::CryptoConfig) and the ESP receive path
// (kernel::IpsecConfig). Field widths are the engine's registers (docs/rtl.md, crypto).
std::vector<ScenarioKey> crypto_ipsec_keys() {
  return {
      key("crypto", T::Map, "",
          "the crypto engine's driver and the crypto framework run, with these settings "
          "(kernel/drivers/crypto, kernel/crypto)"),
      uint_key("crypto.priority", 1, built_rtl().max_priority, "3", "",
               "PLIC priority of the engine's source"),
      key("crypto.cpus", T::List, "all harts",
          "harts whose PLIC context enables the engine's source; not empty (omit it for all)"),
      uint_key("crypto.cpus[]", 0, soc::kMaxHarts - 1, "", "", "a hart, below platform.harts"),
      uint_key("crypto.ring_entries", 2, kMaxCryptoRingEntries, "64", "jobs",
               "job ring length (JR_SIZE), a power of 2"),
      uint_key("crypto.coalesce_count", 0, kMaxCoalesceCount, "1", "jobs",
               "COAL.COUNT: DONE after this many completions (0 and 1: each)"),
      uint_key("crypto.coalesce_timeout", 0, kMaxCoalesceTimeout, "0", "cycles",
               "COAL.TIMEOUT: DONE this long after the first unsignalled completion; 0 = off"),
      uint_key("crypto.max_job_bytes", 1, kMaxCryptoJobBytes, "4096", "bytes",
               "largest job the driver accepts (its DMA slot), at most the engine's MaxJobBytes"),
      key("crypto.callback", T::String, "default",
          "where a request's callback runs: default (the personality's), immediate, deferred or "
          "thread"),

      key("ipsec", T::Map, "",
          "the ESP receive path runs (kernel/net), to a user process reading a UDP socket; "
          "needs nic and crypto blocks"),
      key("ipsec.local_ip", T::String, "10.0.0.2", "our IPv4 address, a.b.c.d"),
      uint_key("ipsec.udp_port", 1, 65535, "5001", "", "UDP port the receiving socket is bound to"),
      required(
          key("ipsec.sa", T::List, "", "inbound security associations (the SADB), at least one")),
      key("ipsec.sa[]", T::Map, "", "one SA: ESP with ChaCha20-Poly1305 (RFC 7634)"),
      required(uint_key("ipsec.sa[].spi", kMinSpi, 0xFFFF'FFFF, "", "",
                        "SPI, unique; 0..255 are reserved (RFC 4303 §2.1)")),
      required(
          key("ipsec.sa[].key", T::String, "", "the 32-byte key: 64 hex digits, byte 0 first")),
      required(key("ipsec.sa[].salt", T::String, "",
                   "the 4-byte salt (nonce = salt || IV): 8 hex digits")),
      uint_key("ipsec.socket_queue", 1, 65535, "64", "packets",
               "the socket's receive queue; full: dropped"),
      uint_key("ipsec.receiver_cpu", 0, soc::kMaxHarts - 1, "0", "",
               "hart of the receiving user process, below platform.harts"),
      key("ipsec.busy_user", T::Bool, "true",
          "a user process computes on busy_cpu throughout (research §6's U); false: the CPU idles"),
      uint_key("ipsec.busy_cpu", 0, soc::kMaxHarts - 1, "0", "",
               "hart of the busy user process, below platform.harts"),
      key("ipsec.rekey", T::Map, "", "a rekey thread takes the SA lock as writer periodically"),
      required(uint_key("ipsec.rekey.period_cycles", 1, kMaxCycles, "", "cycles",
                        "between its takes of the SA lock")),
      required(uint_key("ipsec.rekey.hold_cycles", 1, kMaxCycles, "", "cycles",
                        "how long it holds it; below period_cycles")),
  };
}

// Checks on the run's results.json (expect/expectation.h); a value per personality may be
// given under each registered personality's name.
std::vector<ScenarioKey> expect_keys() {
  std::vector<ScenarioKey> keys{
      key("expect", T::List, "",
          "checks on results.json at the end of the run; one that fails fails the run "
          "(docs/expectations.md)"),
      or_shorthand(key("expect[]", T::Map, "",
                       "\"PATH OP VALUE\", or {metric, op, value}; OP one of ==, !=, <, <=, >, >="),
                   T::String),
      required(key("expect[].metric", T::String, "",
                   "a results.json path: keys by '.', an array's element by its name or index")),
      required(key("expect[].op", T::String, "",
                   "==, !=, <, <=, > or >=; booleans and strings only == and !=")),
      required(or_shorthand(
          key("expect[].value", T::Map, "",
              "a number, true, false or a quoted string; or a map of personality to value "
              "(a personality not listed is not checked)"),
          T::Scalar)),
  };
  for (const kernel::PersonalityDescriptor* p : kernel::registered_personalities())
    keys.push_back(key("expect[].value." + p->name, T::Scalar, "", "the value under " + p->name));
  return keys;
}

// What `irqlab tune` searches for (cosim/tune/tune_spec.h, docs/tune.md); `irqlab run`
// checks the block and ignores it.
std::vector<ScenarioKey> tune_keys() {
  return {
      key("tune", T::Map, "",
          "what irqlab tune searches for (docs/tune.md); irqlab run ignores it"),
      key("tune.personality", T::String, "the scenario's",
          "the personality every candidate runs; required when kernel.personality is a list"),
      key("tune.deadlines", T::List, "", "what a feasible configuration meets"),
      key("tune.deadlines[]", T::Map, "", "one deadline: metric <= max"),
      required(
          key("tune.deadlines[].metric", T::String, "",
              "sources.<name>.latency.<stat> (T2 - T0), sources.<name>.deferred_latency.<stat> "
              "(T3 - T0), ipsec.end_to_end.<stat> or nic.latency.cycles.<stat>")),
      required(uint_key("tune.deadlines[].max", 0, kMaxCycles, "", "cycles", "the deadline")),
      key("tune.no_drops", T::Bool, "false",
          "feasible only without drops: PLIC gateway, NIC FIFO overflow, socket queue full"),
      required(key("tune.space", T::List, "", "the parameters searched; at least one free")),
      key("tune.space[]", T::Map, "", "one parameter: key and values or range"),
      required(key("tune.space[].key", T::String, "",
                   "a tunable key (irqlab list); sources[<name>].<field> for one source")),
      key("tune.space[].values", T::List, "", "the values to try"),
      or_shorthand(key("tune.space[].values[]", T::List, "",
                       "a value: a number, or a list of harts for a cpus key"),
                   T::Uint, 0, kAny),
      uint_key("tune.space[].values[][]", 0, soc::kMaxHarts - 1, "", "",
               "a hart, below platform.harts"),
      key("tune.space[].range", T::Map, "", "an inclusive range of a number key"),
      required(uint_key("tune.space[].range.min", 0, kAny, "", "", "first value")),
      required(uint_key("tune.space[].range.max", 0, kAny, "", "", "last value; at least min")),
      uint_key("tune.space[].range.step", 1, kAny, "1", "", "between values"),
      uint_key("tune.budget", 1, 100000, "200", "simulations",
               "what the local search may spend (a large space)"),
      uint_key("tune.exhaustive_limit", 1, 100000, "64", "candidates",
               "a space of at most this many candidates is searched exhaustively"),
      key("tune.search", T::String, "descent",
          "how a space above exhaustive_limit is searched: descent (coordinate descent within "
          "budget) or halving (successive halving over seeds)"),
      uint_key("tune.seeds", 1, 1024, "1", "seeds",
               "the seeds a winner is judged on (its worst seed); seed, seed + 1, ..."),
  };
}

// kernel.<name> and kernel.<name>.<option> for every registered personality with options.
void add_personality_keys(std::vector<ScenarioKey>& keys) {
  for (const kernel::PersonalityDescriptor* p : kernel::registered_personalities()) {
    if (p->options.empty()) continue;
    keys.push_back(key("kernel." + p->name, T::Map, "", "options of the " + p->name + " personality"));
    for (const kernel::OptionSpec& o : p->options) {
      const bool flag = o.type == kernel::OptionType::Bool;
      const std::string default_value =
          flag ? (o.default_value != 0 ? "true" : "false") : std::to_string(o.default_value);
      ScenarioKey k = flag ? key("kernel." + p->name + "." + o.name, T::Bool, default_value, o.description)
                           : uint_key("kernel." + p->name + "." + o.name, o.min, o.max, default_value, o.unit,
                                      o.description);
      keys.push_back(std::move(k));
    }
  }
}

// How absent keys resolve where their default is not a value of their type: prose for a
// rule the loader applies, or a block whose presence turns a part on (ScenarioKey::absent).
void mark_absent_keys(std::vector<ScenarioKey>& keys) {
  const std::pair<std::string_view, Absent> rules[] = {
      {"name", Absent::Described},
      {"sources[].name", Absent::Described},
      {"sources[].cpus", Absent::Described},
      {"sources[].deferred", Absent::Off},
      {"sources[].stimulus", Absent::Off},
      {"sources[].stimulus.periodic", Absent::Off},
      {"sources[].stimulus.random", Absent::Off},
      {"sources[].stimulus.random.min_gap", Absent::Described},
      {"threads[].band", Absent::Described},
      {"threads[].cpu", Absent::Described},
      {"nic", Absent::Off},
      {"nic.cpus", Absent::Described},
      {"traffic", Absent::Off},
      {"traffic.esp", Absent::Off},
      {"traffic.pcap", Absent::Off},
      {"crypto", Absent::Off},
      {"crypto.cpus", Absent::Described},
      {"ipsec", Absent::Off},
      {"ipsec.rekey", Absent::Off},
      {"regress", Absent::Off},
      {"regress.personalities", Absent::Described},
      {"tune", Absent::Off},
      {"tune.personality", Absent::Described},
  };
  // A named variable, not a structured binding: clang 14 (the sanitizer build) cannot
  // capture one in a lambda.
  for (const auto& rule : rules) {
    const std::string_view path = rule.first;
    const auto k = std::find_if(keys.begin(), keys.end(),
                                [&](const ScenarioKey& e) { return e.path == path; });
    if (k == keys.end())
      throw std::logic_error("absent-key rule for undeclared key '" + std::string(path) + "'");
    k->absent = rule.second;
  }
}

std::string schema_path(const std::string& path) {
  static const std::regex index(R"(\[[0-9]+\])");
  return std::regex_replace(path, index, "[]");
}

}  // namespace

const std::vector<ScenarioKey>& scenario_keys() {
  static const std::vector<ScenarioKey> keys = [] {
    std::vector<ScenarioKey> k = core_keys();
    const auto personality = std::find_if(k.begin(), k.end(), [](const ScenarioKey& e) {
      return e.path == "kernel.personality[]";
    });
    std::vector<ScenarioKey> options;
    add_personality_keys(options);
    k.insert(personality + 1, options.begin(), options.end());
    for (const std::vector<ScenarioKey>& block : {output_keys(), nic_keys(), crypto_ipsec_keys(),
                                                  expect_keys(), regress_keys(), tune_keys()})
      k.insert(k.end(), block.begin(), block.end());
    mark_absent_keys(k);
    return k;
  }();
  return keys;
}

const ScenarioKey& scenario_key(std::string_view path) {
  for (const ScenarioKey& k : scenario_keys())
    if (k.path == path) return k;
  throw std::logic_error("scenario key '" + std::string(path) + "' is not declared in the key table");
}

std::string_view key_type_name(KeyType type) {
  switch (type) {
    case KeyType::Uint: return "uint";
    case KeyType::Bool: return "bool";
    case KeyType::Number: return "number";
    case KeyType::String: return "string";
    case KeyType::Map: return "map";
    case KeyType::List: return "list";
    case KeyType::Scalar:
      return "scalar";
  }
  return "?";
}

const ScenarioKey& declared_key(const ConfigNode& node) { return scenario_key(schema_path(node.path())); }

void allow_declared_keys(const ConfigNode& node) {
  node.require_map();
  const std::string parent = schema_path(node.path());
  const std::string prefix = parent.empty() ? "" : parent + ".";
  std::vector<std::string> allowed;
  for (const ScenarioKey& k : scenario_keys())
    if (k.path.size() > prefix.size() && k.path.compare(0, prefix.size(), prefix) == 0 &&
        k.path.find_first_of(".[", prefix.size()) == std::string::npos)
      allowed.push_back(k.path.substr(prefix.size()));
  for (const auto& entry : node.yaml()) {
    const std::string name = entry.first.Scalar();
    if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) continue;
    std::string list;
    for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
    node.key_of(entry).fail("unknown key (expected one of: " + list + ")");
  }
}

std::uint64_t declared_uint(const ConfigNode& node) {
  const ScenarioKey& k = declared_key(node);
  const std::uint64_t v = node.as_uint();
  if (v < k.min || v > k.max)
    node.fail(k.max == kAny ? "must be at least " + std::to_string(k.min) + ", got " + std::to_string(v)
                            : "must be between " + std::to_string(k.min) + " and " + std::to_string(k.max) +
                                  ", got " + std::to_string(v));
  return v;
}

double declared_number(const ConfigNode& node) {
  const ScenarioKey& k = declared_key(node);
  const double v = node.as_double();
  if (v < static_cast<double>(k.min) || v > static_cast<double>(k.max))
    node.fail("must be between " + std::to_string(k.min) + " and " + std::to_string(k.max) +
              ", got '" + node.as_string() + "'");
  return v;
}

namespace {

std::string child_path(const ConfigNode& parent, std::string_view key) {
  const std::string path = schema_path(parent.path());
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

}  // namespace

std::uint64_t uint_or_default(const ConfigNode& parent, std::string_view key) {
  if (parent.has(key)) return declared_uint(parent.at(key));
  const std::string& text = scenario_key(child_path(parent, key)).default_value;
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size())
    throw std::logic_error("scenario key '" + child_path(parent, key) + "' has no numeric default");
  return value;
}

bool bool_or_default(const ConfigNode& parent, std::string_view key) {
  if (parent.has(key)) return parent.at(key).as_bool();
  const std::string& text = scenario_key(child_path(parent, key)).default_value;
  if (text != "true" && text != "false")
    throw std::logic_error("scenario key '" + child_path(parent, key) + "' has no bool default");
  return text == "true";
}

std::string string_or_default(const ConfigNode& parent, std::string_view key) {
  if (parent.has(key)) return parent.at(key).as_string();
  return scenario_key(child_path(parent, key)).default_value;
}

ConfigNode child_or_default(const ConfigNode& parent, std::string_view key) {
  if (parent.has(key)) return parent.at(key);
  const ScenarioKey& k = scenario_key(child_path(parent, key));
  const std::string path =
      parent.path().empty() ? std::string(key) : parent.path() + "." + std::string(key);
  // Built, not parsed: the node has no line, so an error about it names the file (or the
  // -c that set its parent) and the key.
  if (k.type == KeyType::Map && (k.default_value.empty() || k.absent != Absent::Default))
    return ConfigNode(YAML::Node(YAML::NodeType::Map), parent.file(), path, parent.override_text());
  if (k.default_value.empty() || k.absent != Absent::Default)
    throw std::logic_error("scenario key '" + k.path + "' has no default value");
  return ConfigNode(YAML::Node(k.default_value), parent.file(), path, parent.override_text());
}

ConfigNode empty_map_at(const ConfigNode& node) {
  return ConfigNode(YAML::Node(YAML::NodeType::Map), node.file(), node.path(),
                    node.override_text());
}

}  // namespace irqlab::cosim
