#include "scenario/scenario.h"

#include <algorithm>

#include "config/config_node.h"
#include "config/printable_text.h"
#include "expect/expect_parse.h"
#include "net/pcap_file.h"
#include "personality/registry.h"
#include "scenario/crypto_ipsec_scenario.h"
#include "scenario/scenario_keys.h"
#include "scenario/waves_estimate.h"

namespace irqlab::cosim {

namespace {

// A declared key whose range fits an unsigned (scenario_keys.cpp).
unsigned small_uint(const ConfigNode& node) { return static_cast<unsigned>(declared_uint(node)); }

// A value checked against a range the table cannot declare because it depends on other
// keys (harts, a thread's band).
unsigned small_uint_or_default(const ConfigNode& parent, std::string_view key) {
  return static_cast<unsigned>(uint_or_default(parent, key));
}

// Compared before narrowing, so a value above 2^32 cannot wrap into the range.
unsigned uint_below(const ConfigNode& node, unsigned limit, const std::string& what) {
  const std::uint64_t v = declared_uint(node);
  if (v >= limit) node.fail("must be below " + what + " (" + std::to_string(limit) + "), got " + std::to_string(v));
  return static_cast<unsigned>(v);
}

// A list of harts that enable a source: each below platform.harts, and not empty (the
// absent key, not an empty list, means every hart).
std::vector<unsigned> hart_list(const ConfigNode& node, unsigned harts) {
  std::vector<unsigned> list;
  for (const ConfigNode& c : node.items()) list.push_back(uint_below(c, harts, "platform.harts"));
  if (list.empty())
    node.fail(
        "an empty list enables it on no hart: name at least one, or omit the key for all harts");
  return list;
}

// A cycle that must fall inside the run.
Cycle cycle_in_run(const ConfigNode& node, Cycle duration) {
  const Cycle c = declared_uint(node);
  if (c >= duration)
    node.fail("must be before the end of the run (duration_cycles " + std::to_string(duration) +
              ")");
  return c;
}

// `n` (every instruction n cycles long) or {min: a, max: b} (uniform, seeded).
models::InstructionLengths instruction_lengths(const ConfigNode& node) {
  if (!node.yaml().IsMap()) {
    const Cycle n = small_uint(node);  // the shorthand's range is the key's own
    return {n, n};
  }
  allow_declared_keys(node);
  const models::InstructionLengths lengths{small_uint(node.at("min")), small_uint(node.at("max"))};
  if (lengths.max < lengths.min) node.at("max").fail("must be at least min");
  return lengths;
}

// `waves: true|false` (the rest at its defaults), or a map: {enabled, start, end, depth}.
// The window must lie in the run.
void read_waves(const ConfigNode& given, Scenario& s) {
  const bool shorthand = !given.yaml().IsMap();
  const ConfigNode node = shorthand ? empty_map_at(given) : given;
  allow_declared_keys(node);
  s.waves.enabled = shorthand ? given.as_bool() : bool_or_default(node, "enabled");
  s.waves.start = uint_or_default(node, "start");
  if (s.waves.start >= s.duration_cycles)
    node.at("start").fail("must be before the end of the run (duration_cycles " + std::to_string(s.duration_cycles) + ")");
  if (node.has("end")) {
    s.waves.end = declared_uint(node.at("end"));
    if (*s.waves.end <= s.waves.start) node.at("end").fail("must be after waves.start");
    if (*s.waves.end > s.duration_cycles)
      node.at("end").fail("must not be after the end of the run (duration_cycles " + std::to_string(s.duration_cycles) + ")");
  }
  s.waves.depth = static_cast<unsigned>(uint_or_default(node, "depth"));
}

// Every pulse a stimulus asks for starts inside the run: `at` cycles and the periodic
// train exactly; the random process by its expected end (a draw may still fall after
// the end, and such a pulse is not made).
models::LineStimulus read_stimulus(const ConfigNode& node, unsigned line, std::uint64_t seed,
                                   Cycle duration) {
  allow_declared_keys(node);
  models::LineStimulus s;
  s.line = line;
  s.pulse_cycles = uint_or_default(node, "pulse_cycles");
  if (node.has("at"))
    for (const ConfigNode& c : node.at("at").items()) s.at.push_back(cycle_in_run(c, duration));
  const std::string end_of_run =
      "the end of the run (duration_cycles " + std::to_string(duration) + ")";
  if (node.has("periodic")) {
    const ConfigNode p = node.at("periodic");
    allow_declared_keys(p);
    const Cycle start =
        p.has("start") ? cycle_in_run(p.at("start"), duration) : uint_or_default(p, "start");
    s.periodic =
        models::PeriodicPulses{start, declared_uint(p.at("period")), small_uint(p.at("count"))};
    if (s.periodic->period <= s.pulse_cycles) p.at("period").fail("must be longer than pulse_cycles");
    // count <= 10^7 and period, start <= 10^12 (the table's ranges): no wrap-around.
    const std::uint64_t last =
        start +
        std::uint64_t{s.periodic->count == 0 ? 0 : s.periodic->count - 1} * s.periodic->period;
    if (s.periodic->count != 0 && last >= duration)
      p.at("count").fail("the last of " + std::to_string(s.periodic->count) +
                         " pulses would start at cycle " + std::to_string(last) + ", after " +
                         end_of_run + "; " +
                         std::to_string((duration - 1 - start) / s.periodic->period + 1) + " fit");
  }
  if (node.has("random")) {
    const ConfigNode r = node.at("random");
    allow_declared_keys(r);
    const Cycle start =
        r.has("start") ? cycle_in_run(r.at("start"), duration) : uint_or_default(r, "start");
    s.random =
        models::RandomPulses{start, declared_number(r.at("mean_gap")),
                             r.has("min_gap") ? declared_uint(r.at("min_gap")) : s.pulse_cycles + 1,
                             small_uint(r.at("count"))};
    if (s.random->min_gap <= s.pulse_cycles) r.at("min_gap").fail("must be longer than pulse_cycles");
    const double expected_end =
        static_cast<double>(start) +
        s.random->count * (static_cast<double>(s.random->min_gap) + s.random->mean_gap);
    if (s.random->count != 0 && expected_end >= static_cast<double>(duration))
      r.at("count").fail(std::to_string(s.random->count) + " pulses are expected to end at cycle " +
                         std::to_string(static_cast<std::uint64_t>(expected_end)) +
                         " (start + count × (min_gap + mean_gap)), after " + end_of_run);
  }
  try {
    models::check_pulses(s, seed);  // the run's seed: random pulses may meet the others
  } catch (const std::invalid_argument& e) {
    node.fail(e.what());
  }
  return s;
}

unsigned lock_index(const ConfigNode& name, const std::vector<std::string>& locks) {
  for (unsigned i = 0; i < locks.size(); ++i)
    if (locks[i] == name.as_string()) return i;
  name.fail("no lock named '" + name.as_string() + "' in 'locks'");
}

kernel::DeferredScript read_deferred(const ConfigNode& node, const std::vector<std::string>& locks) {
  allow_declared_keys(node);
  kernel::DeferredScript d;
  const std::string level = string_or_default(node, "level");
  bool known = false;
  for (kernel::DeferLevel l : {kernel::DeferLevel::Clock, kernel::DeferLevel::Bio, kernel::DeferLevel::Net,
                               kernel::DeferLevel::Serial}) {
    if (level != kernel::defer_level_name(l)) continue;
    d.level = l;
    known = true;
  }
  if (!known) node.at("level").fail("expected clock, bio, net or serial, got '" + level + "'");
  d.may_block = bool_or_default(node, "may_block");
  d.cycles = declared_uint(node.at("cycles"));
  if (node.has("lock")) d.lock = lock_index(node.at("lock"), locks);
  return d;
}

InjectedSource read_source(const ConfigNode& node, const Scenario& scenario) {
  allow_declared_keys(node);
  InjectedSource s;
  s.irq.source = small_uint(node.at("source"));
  s.name = node.has("name") ? node.at("name").as_name() : "src" + std::to_string(s.irq.source);
  s.irq.priority = small_uint(node.at("priority"));
  s.irq.handler_cycles = declared_uint(node.at("handler_cycles"));
  if (node.has("cpus")) s.irq.cpus = hart_list(node.at("cpus"), scenario.harts);
  if (node.has("stimulus"))
    s.stimulus = read_stimulus(node.at("stimulus"), s.irq.source - kFirstExternalSource,
                               scenario.seed, scenario.duration_cycles);
  if (node.has("deferred")) s.deferred = read_deferred(node.at("deferred"), scenario.workload.locks);
  return s;
}

kernel::Step read_step(const ConfigNode& node, const std::vector<std::string>& locks) {
  if (node.yaml().IsScalar() && node.as_string() == "yield") return {kernel::StepKind::Yield, 0, 0};
  allow_declared_keys(node);
  if (node.yaml().size() != 1)
    node.fail("a step has exactly one of: user, kernel, lock, unlock, read (or is 'yield')");
  if (node.has("user")) return {kernel::StepKind::User, declared_uint(node.at("user")), 0};
  if (node.has("kernel")) return {kernel::StepKind::Kernel, declared_uint(node.at("kernel")), 0};
  if (node.has("read")) return {kernel::StepKind::Read, 0, 0, declared_uint(node.at("read"))};
  const bool lock = node.has("lock");
  return {lock ? kernel::StepKind::Lock : kernel::StepKind::Unlock, 0, lock_index(node.at(lock ? "lock" : "unlock"), locks)};
}

kernel::ThreadScript read_thread(const ConfigNode& node, const std::vector<std::string>& locks, unsigned harts) {
  allow_declared_keys(node);
  kernel::ThreadScript t;
  t.name = node.at("name").as_name();
  t.user = bool_or_default(node, "user");
  t.band = t.user ? kernel::Band::UserTimeshare : kernel::Band::Kernel;
  if (node.has("band")) {
    const std::string band = node.at("band").as_string();
    if (band == "timeshare") {
      t.band = kernel::Band::UserTimeshare;
    } else if (band == "realtime") {
      t.band = kernel::Band::UserRealtime;
    } else if (band == "kernel") {
      t.band = kernel::Band::Kernel;
    } else {
      node.at("band").fail("expected timeshare, realtime or kernel, got '" + band + "'");
    }
  }
  const kernel::BandRange range = kernel::band_range(t.band);
  t.priority = uint_below(child_or_default(node, "priority"), range.size, "the band's size");
  if (node.has("cpu")) t.cpu = uint_below(node.at("cpu"), harts, "platform.harts");
  t.repeat = static_cast<unsigned>(uint_or_default(node, "repeat"));
  for (const ConfigNode& step : node.at("steps").items()) t.steps.push_back(read_step(step, locks));
  if (t.steps.empty()) node.at("steps").fail("a thread needs at least one step");
  return t;
}

// kernel.personality: one name or a list to compare; kernel.<name>: that one's options,
// as its registered schema declares them (the key table lists them).
// kernel.threshold_floor: one number for every hart, or a list of one per hart; absent, no
// floor (the kernel's default, 0 on every hart).
void read_threshold_floor(const ConfigNode& k, Scenario& s) {
  if (!k.has("threshold_floor")) return;
  const ConfigNode given = k.at("threshold_floor");
  if (!given.yaml().IsSequence()) {
    s.threshold_floor.assign(s.harts, small_uint(given));
    return;
  }
  if (given.yaml().size() != s.harts)
    given.fail("give one floor per hart: " + std::to_string(s.harts) + " (platform.harts), got " +
               std::to_string(given.yaml().size()));
  for (const ConfigNode& h : given.items()) s.threshold_floor.push_back(small_uint(h));
}

void read_personalities(const ConfigNode& k, Scenario& s) {
  if (k.has("personality")) {
    const ConfigNode p = k.at("personality");
    const std::vector<ConfigNode> names = p.yaml().IsSequence() ? p.items() : std::vector<ConfigNode>{p};
    if (names.empty()) p.fail("name at least one personality");
    for (const ConfigNode& n : names) {
      try {
        kernel::personality_named(n.as_string());
      } catch (const std::invalid_argument& e) {
        n.fail(e.what());
      }
      if (std::count(s.personalities.begin(), s.personalities.end(), n.as_string()) != 0)
        n.fail("personality '" + n.as_string() +
               "' is listed twice (each runs once, into out/<personality>/)");
      s.personalities.push_back(n.as_string());
    }
    s.personality.name = s.personalities.front();
  } else {
    s.personality.name = string_or_default(k, "personality");
  }
  for (const kernel::PersonalityDescriptor* d : kernel::registered_personalities()) {
    if (!k.has(d->name)) continue;
    const ConfigNode o = k.at(d->name);
    allow_declared_keys(o);
    kernel::OptionValues& values = s.personality.options[d->name];
    for (const kernel::OptionSpec& spec : d->options) {
      if (!o.has(spec.name)) continue;
      const ConfigNode value = o.at(spec.name);
      values[spec.name] = spec.type == kernel::OptionType::Bool ? value.as_bool() : declared_uint(value);
    }
  }
}

// nic: the driver's settings; the ranges are the table's, the rest is checked here.
kernel::NicConfig read_nic(const ConfigNode& node, unsigned harts) {
  allow_declared_keys(node);
  kernel::NicConfig n;
  n.present = true;
  n.priority = small_uint_or_default(node, "priority");
  if (node.has("cpus")) n.cpus = hart_list(node.at("cpus"), harts);
  for (const auto& [key, field] : {std::pair{"rx_descriptors", &n.rx_descriptors},
                                   std::pair{"tx_descriptors", &n.tx_descriptors}}) {
    *field = small_uint_or_default(node, key);
    if (!kernel::nic_ring_length_valid(*field))
      node.at(key).fail("must be a multiple of 8, got " + std::to_string(*field));
  }
  n.buffer_size = small_uint_or_default(node, "buffer_size");
  if (!kernel::nic_buffer_size_valid(n.buffer_size))
    node.at("buffer_size")
        .fail("must be 256, 512, 1024 or 2048, got " + std::to_string(n.buffer_size));
  n.itr = small_uint_or_default(node, "itr");
  n.rdtr = small_uint_or_default(node, "rdtr");
  n.radv = small_uint_or_default(node, "radv");
  n.polling = bool_or_default(node, "polling");
  n.budget = small_uint_or_default(node, "budget");
  n.echo = bool_or_default(node, "echo");
  return n;
}

models::net::FrameSizes frame_sizes(const ConfigNode& node) {
  if (!node.yaml().IsMap()) {
    const unsigned n = small_uint(node);
    return {n, n};
  }
  allow_declared_keys(node);
  const models::net::FrameSizes sizes{small_uint(node.at("min")), small_uint(node.at("max"))};
  if (sizes.max < sizes.min) node.at("max").fail("must be at least min");
  return sizes;
}

// A key that only some settings use: `condition` names them.
void only_with(const ConfigNode& node, std::string_view key, bool allowed,
               const std::string& condition) {
  if (node.has(key) && !allowed) node.at(key).fail("only with " + condition);
}

void read_pcap_replay(const ConfigNode& node, const std::filesystem::path& scenario_dir,
                      models::net::TrafficSpec& t) {
  allow_declared_keys(node);
  t.pcap.file = scenario_dir / node.at("file").as_string();
  if (std::error_code ec; std::filesystem::is_directory(t.pcap.file, ec))
    node.at("file").fail(t.pcap.file.string() + ": is a directory, expected a pcap file");
  const std::string timing = string_or_default(node, "timing");
  if (timing == "timestamps") {
    t.pcap.timing = models::net::PcapTiming::Timestamps;
  } else if (timing == "back_to_back") {
    t.pcap.timing = models::net::PcapTiming::BackToBack;
  } else {
    node.at("timing").fail("expected timestamps or back_to_back, got '" + timing + "'");
  }
  t.pcap.time_scale = declared_number(child_or_default(node, "time_scale"));
  if (!(t.pcap.time_scale > 0)) node.at("time_scale").fail("must be above 0");
  only_with(node, "time_scale", t.pcap.timing == models::net::PcapTiming::Timestamps,
            "traffic.pcap.timing timestamps");
  try {
    models::net::check_traffic(t);
  } catch (const models::net::PcapError& e) {
    node.at("file").fail(e.what());
  }
}

// traffic: the pattern and its parameters; a key of another pattern is an error.
models::net::TrafficSpec read_traffic(const ConfigNode& node, const Scenario& s) {
  using models::net::TrafficPattern;
  allow_declared_keys(node);
  models::net::TrafficSpec t;
  t.present = true;
  t.destination = models::net::mac_from_register_order(s.nic.mac);
  t.line_rate_gbps = small_uint_or_default(node, "line_rate_gbps");
  if (t.line_rate_gbps != 1 && t.line_rate_gbps != 10 && t.line_rate_gbps != 25)
    node.at("line_rate_gbps").fail("must be 1, 10 or 25, got " + std::to_string(t.line_rate_gbps));
  const std::string pattern = string_or_default(node, "pattern");
  const std::pair<const char*, TrafficPattern> patterns[] = {{"constant", TrafficPattern::Constant},
                                                             {"poisson", TrafficPattern::Poisson},
                                                             {"bursts", TrafficPattern::Bursts},
                                                             {"pcap", TrafficPattern::Pcap}};
  const auto known = std::find_if(std::begin(patterns), std::end(patterns),
                                  [&](const auto& p) { return pattern == p.first; });
  if (known == std::end(patterns))
    node.at("pattern").fail("expected constant, poisson, bursts or pcap, got '" + pattern + "'");
  t.pattern = known->second;
  t.start_ps = uint_or_default(node, "start_ns") * 1000;
  // Both factors are bounded (kMaxDurationCycles, kMaxClockPeriodPs): no wrap-around.
  const std::uint64_t run_ps = s.duration_cycles * s.clock_period_ps;
  if (t.start_ps >= run_ps)
    node.at("start_ns")
        .fail("must be before the end of the run (duration_cycles " +
              std::to_string(s.duration_cycles) + " at " + std::to_string(s.clock_period_ps) +
              " ps: " + std::to_string(run_ps / 1000) + " ns)");
  t.count = uint_or_default(node, "count");
  if (node.has("duration_ns")) t.duration_ps = declared_uint(node.at("duration_ns")) * 1000;

  const bool pcap = t.pattern == TrafficPattern::Pcap;
  const bool bursts = t.pattern == TrafficPattern::Bursts;
  only_with(node, "rate_pps", !pcap, "traffic.pattern constant, poisson or bursts");
  only_with(node, "frame_bytes", !pcap, "traffic.pattern constant, poisson or bursts");
  only_with(node, "payload", !pcap, "traffic.pattern constant, poisson or bursts");
  const std::string payload = string_or_default(node, "payload");
  if (payload == "esp") {
    t.payload = models::net::TrafficPayload::Esp;
  } else if (payload != "udp") {
    node.at("payload").fail("expected udp or esp, got '" + payload + "'");
  }
  const bool esp = t.payload == models::net::TrafficPayload::Esp;
  only_with(node, "frame_bytes", !esp,
            "traffic.payload udp (an ESP frame's length follows from its payload)");
  only_with(node, "esp", esp, "traffic.payload esp");
  if (esp) {
    if (!s.ipsec.present)
      node.at("payload").fail("esp traffic needs an ipsec: block (its SAs, address and port)");
    t.esp = read_esp_traffic(node, s.ipsec, s.crypto);
  }
  only_with(node, "burst_frames", bursts, "traffic.pattern bursts");
  only_with(node, "burst_period_ns", bursts, "traffic.pattern bursts");
  only_with(node, "pcap", pcap, "traffic.pattern pcap");
  t.rate_pps = uint_or_default(node, "rate_pps");
  if (t.pattern == TrafficPattern::Poisson && t.rate_pps == 0)
    (node.has("rate_pps") ? node.at("rate_pps") : node.at("pattern"))
        .fail("poisson traffic needs rate_pps above 0 (the mean rate)");
  t.frame_bytes = frame_sizes(child_or_default(node, "frame_bytes"));
  if (bursts) {
    t.burst_frames = declared_uint(node.at("burst_frames"));
    t.burst_period_ps = declared_uint(node.at("burst_period_ns")) * 1000;
  }
  if (pcap) read_pcap_replay(node.at("pcap"), s.file.parent_path(), t);
  return t;
}

}  // namespace

kernel::CostProfile load_cost_profile(const std::filesystem::path& file) {
  const ConfigNode root = ConfigNode::load_file(file);
  kernel::CostProfile costs;
  std::vector<std::string> personality_fields;
  for (const kernel::PersonalityDescriptor* p : kernel::registered_personalities())
    for (const kernel::NamedCost& c : p->costs) personality_fields.push_back(c.name);
  for (const auto& entry : root.yaml()) {
    const std::string key = entry.first.Scalar();
    bool known = std::count(personality_fields.begin(), personality_fields.end(), key) > 0;
    for (const kernel::CostField& f : kernel::cost_fields()) known = known || f.name == key;
    if (!known) root.key_of(entry).fail("unknown cost parameter");
  }
  const auto cost = [&root](std::string_view name) {
    const ConfigNode value = root.at(name);
    const std::uint64_t cycles = value.as_uint();
    if (cycles > kMaxCostCycles)
      value.fail("must be at most " + std::to_string(kMaxCostCycles) + " cycles, got " +
                 std::to_string(cycles));
    return cycles;
  };
  for (const kernel::CostField& f : kernel::cost_fields()) costs.*f.member = cost(f.name);
  for (const std::string& name : personality_fields) costs.personality[name] = cost(name);
  return costs;
}

Scenario load_scenario(const std::filesystem::path& file, const std::vector<std::string>& overrides) {
  ConfigNode loaded = ConfigNode::load_file(file);
  for (const std::string& o : overrides) apply_override(loaded.yaml(), o);
  const ConfigNode root(loaded.yaml(), file.string(), "");
  allow_declared_keys(root);

  Scenario s;
  s.file = file;
  s.overrides = overrides;
  s.document = loaded.text();
  if (root.has("name")) {
    s.name = root.at("name").as_name();
  } else {
    s.name = file.stem().string();
    if (const std::optional<std::string> problem = name_problem(s.name))
      root.fail("the scenario's name defaults to its file's name, and " + *problem + ": set name");
  }
  s.seed = uint_or_default(root, "seed");
  s.duration_cycles = declared_uint(root.at("duration_cycles"));
  read_waves(child_or_default(root, "waves"), s);
  if (const std::optional<std::string> problem = waves_size_problem(s.waves, s.duration_cycles))
    root.at(root.has("waves") ? "waves" : "duration_cycles").fail(*problem);
  s.timeline = bool_or_default(root, "timeline");

  // Absent blocks are read as empty maps, so each field takes the table's default.
  const ConfigNode p = child_or_default(root, "platform");
  if (p.has("step_cycles"))
    p.at("step_cycles")
        .fail(
            "was removed: a busy hart now takes an interrupt at its exact cycle; "
            "model instruction lengths with platform.instruction_cycles");
  allow_declared_keys(p);
  s.instructions = instruction_lengths(child_or_default(p, "instruction_cycles"));
  s.skip_quiescent = bool_or_default(p, "skip_quiescent");
  s.harts = small_uint_or_default(p, "harts");
  s.clock_period_ps = uint_or_default(p, "clock_period_ps");
  if (s.clock_period_ps % 2 != 0)
    p.at("clock_period_ps").fail("must be a positive even number of picoseconds");
  const ConfigNode bus = child_or_default(p, "bus");
  allow_declared_keys(bus);
  s.bus.request_cycles = small_uint_or_default(bus, "request_cycles");
  s.bus.response_cycles = small_uint_or_default(bus, "response_cycles");
  s.memory_latency = uint_or_default(p, "memory_latency");
  const ConfigNode timer = child_or_default(p, "timer");
  allow_declared_keys(timer);
  s.tick.prescale = small_uint_or_default(timer, "prescale");
  s.tick.step = small_uint_or_default(timer, "step");

  const ConfigNode k = root.at("kernel");
  allow_declared_keys(k);
  s.cost_profile_file = file.parent_path() / k.at("cost_profile").as_string();
  try {
    s.costs = load_cost_profile(s.cost_profile_file);
  } catch (const ConfigError& e) {
    k.at("cost_profile").fail(e.what());
  }
  read_personalities(k, s);
  s.tick.period = uint_or_default(k, "tick_period");
  s.tick.priority = small_uint_or_default(k, "tick_priority");
  s.spinout_cycles = uint_or_default(k, "spinout_cycles");
  read_threshold_floor(k, s);

  if (root.has("locks")) {
    for (const ConfigNode& n : root.at("locks").items()) {
      const std::string name = n.as_name();
      for (const std::string& other : s.workload.locks)
        if (other == name) n.fail("lock '" + name + "' is declared twice");
      s.workload.locks.push_back(name);
    }
  }
  if (root.has("sources")) {
    for (const ConfigNode& n : root.at("sources").items()) {
      InjectedSource src = read_source(n, s);
      for (const InjectedSource& other : s.sources)
        if (other.irq.source == src.irq.source)
          n.at("source").fail("source " + std::to_string(src.irq.source) + " is declared twice");
      if (src.deferred && (s.personalities.empty() || std::count(s.personalities.begin(), s.personalities.end(), "none")))
        n.at("deferred").fail("deferred work needs an interrupt architecture: set kernel.personality (not none)");
      s.sources.push_back(std::move(src));
    }
  }
  if (root.has("threads"))
    for (const ConfigNode& n : root.at("threads").items())
      s.workload.threads.push_back(read_thread(n, s.workload.locks, s.harts));
  if (root.has("nic")) s.nic = read_nic(root.at("nic"), s.harts);
  if (root.has("crypto")) s.crypto = read_crypto(root.at("crypto"), s.harts);
  if (root.has("ipsec")) {
    const ConfigNode ipsec = root.at("ipsec");
    if (!s.nic.present || !s.crypto.present)
      ipsec.fail(std::string("the ESP receive path needs ") +
                 (!s.nic.present && !s.crypto.present ? "a nic: and a crypto: block"
                  : !s.nic.present ? "a nic: block (its frames arrive through the NIC)"
                                   : "a crypto: block (the engine decrypts them)"));
    s.ipsec = read_ipsec(ipsec, s.harts);
  }
  if (root.has("traffic")) s.traffic = read_traffic(root.at("traffic"), s);
  if (root.has("expect")) s.expectations = expect::read_expectations(root.at("expect"));
  if (root.has("tune")) s.tune = tune::read_tune(root.at("tune"), s);
  return s;
}

}  // namespace irqlab::cosim
