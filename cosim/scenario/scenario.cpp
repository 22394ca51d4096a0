#include "scenario/scenario.h"

#include <algorithm>

#include "config/config_node.h"

namespace irqlab::cosim {

namespace {

unsigned small_uint(const ConfigNode& node, std::uint64_t min, std::uint64_t max) {
  const std::uint64_t v = node.as_uint();
  if (v < min || v > max)
    node.fail("must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " +
              std::to_string(v));
  return static_cast<unsigned>(v);
}

// `n` (every instruction n cycles long) or {min: a, max: b} (uniform, seeded).
models::InstructionLengths instruction_lengths(const ConfigNode& node) {
  if (!node.yaml().IsMap()) {
    const Cycle n = small_uint(node, 1, kMaxInstructionCycles);
    return {n, n};
  }
  node.allow_only({"min", "max"});
  const models::InstructionLengths lengths{small_uint(node.at("min"), 1, kMaxInstructionCycles),
                                           small_uint(node.at("max"), 1, kMaxInstructionCycles)};
  if (lengths.max < lengths.min) node.at("max").fail("must be at least min");
  return lengths;
}

// `waves: true|false`, or a map: {enabled, start, end, depth}. The window must lie in the run.
void read_waves(const ConfigNode& node, Scenario& s) {
  if (!node.yaml().IsMap()) {
    s.waves.enabled = node.as_bool();
    return;
  }
  node.allow_only({"enabled", "start", "end", "depth"});
  s.waves.enabled = node.bool_or("enabled", true);
  s.waves.start = node.uint_or("start", 0);
  if (s.waves.start >= s.duration_cycles)
    node.at("start").fail("must be before the end of the run (duration_cycles " + std::to_string(s.duration_cycles) + ")");
  if (node.has("end")) {
    s.waves.end = node.at("end").as_uint();
    if (*s.waves.end <= s.waves.start) node.at("end").fail("must be after waves.start");
    if (*s.waves.end > s.duration_cycles)
      node.at("end").fail("must not be after the end of the run (duration_cycles " + std::to_string(s.duration_cycles) + ")");
  }
  if (node.has("depth")) s.waves.depth = small_uint(node.at("depth"), 1, 99);
}

models::LineStimulus read_stimulus(const ConfigNode& node, unsigned line, std::uint64_t seed) {
  node.allow_only({"at", "periodic", "random", "pulse_cycles"});
  models::LineStimulus s;
  s.line = line;
  s.pulse_cycles = node.uint_or("pulse_cycles", 1);
  if (s.pulse_cycles == 0) node.at("pulse_cycles").fail("must be at least 1");
  if (node.has("at"))
    for (const ConfigNode& c : node.at("at").items()) s.at.push_back(c.as_uint());
  if (node.has("periodic")) {
    const ConfigNode p = node.at("periodic");
    p.allow_only({"start", "period", "count"});
    s.periodic = models::PeriodicPulses{p.uint_or("start", 0), p.at("period").as_uint(),
                                        small_uint(p.at("count"), 0, 10'000'000)};
    if (s.periodic->period <= s.pulse_cycles) p.at("period").fail("must be longer than pulse_cycles");
  }
  if (node.has("random")) {
    const ConfigNode r = node.at("random");
    r.allow_only({"start", "mean_gap", "min_gap", "count"});
    s.random = models::RandomPulses{r.uint_or("start", 0), r.at("mean_gap").as_double(),
                                    r.uint_or("min_gap", s.pulse_cycles + 1),
                                    small_uint(r.at("count"), 0, 10'000'000)};
    if (s.random->mean_gap < 0) r.at("mean_gap").fail("must not be negative");
    if (s.random->min_gap <= s.pulse_cycles) r.at("min_gap").fail("must be longer than pulse_cycles");
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
  node.allow_only({"level", "may_block", "cycles", "lock"});
  kernel::DeferredScript d;
  const std::string level = node.string_or("level", "net");
  bool known = false;
  for (kernel::DeferLevel l : {kernel::DeferLevel::Clock, kernel::DeferLevel::Bio, kernel::DeferLevel::Net,
                               kernel::DeferLevel::Serial}) {
    if (level != kernel::defer_level_name(l)) continue;
    d.level = l;
    known = true;
  }
  if (!known) node.at("level").fail("expected clock, bio, net or serial, got '" + level + "'");
  d.may_block = node.bool_or("may_block", false);
  d.cycles = node.at("cycles").as_uint();
  if (node.has("lock")) d.lock = lock_index(node.at("lock"), locks);
  return d;
}

InjectedSource read_source(const ConfigNode& node, const Scenario& scenario) {
  node.allow_only({"source", "name", "priority", "handler_cycles", "cpus", "stimulus", "deferred"});
  InjectedSource s;
  s.irq.source = small_uint(node.at("source"), kFirstExternalSource, kLastExternalSource);
  s.name = node.string_or("name", "src" + std::to_string(s.irq.source));
  s.irq.priority = small_uint(node.at("priority"), 1, kMaxPriority);
  s.irq.handler_cycles = node.at("handler_cycles").as_uint();
  if (node.has("cpus"))
    for (const ConfigNode& c : node.at("cpus").items()) s.irq.cpus.push_back(small_uint(c, 0, scenario.harts - 1));
  if (node.has("stimulus"))
    s.stimulus = read_stimulus(node.at("stimulus"), s.irq.source - kFirstExternalSource, scenario.seed);
  if (node.has("deferred")) s.deferred = read_deferred(node.at("deferred"), scenario.workload.locks);
  return s;
}

kernel::Step read_step(const ConfigNode& node, const std::vector<std::string>& locks) {
  if (node.yaml().IsScalar() && node.as_string() == "yield") return {kernel::StepKind::Yield, 0, 0};
  node.require_map();
  node.allow_only({"user", "kernel", "lock", "unlock"});
  if (node.yaml().size() != 1) node.fail("a step has exactly one of: user, kernel, lock, unlock (or is 'yield')");
  if (node.has("user")) return {kernel::StepKind::User, node.at("user").as_uint(), 0};
  if (node.has("kernel")) return {kernel::StepKind::Kernel, node.at("kernel").as_uint(), 0};
  const bool lock = node.has("lock");
  return {lock ? kernel::StepKind::Lock : kernel::StepKind::Unlock, 0, lock_index(node.at(lock ? "lock" : "unlock"), locks)};
}

kernel::ThreadScript read_thread(const ConfigNode& node, const std::vector<std::string>& locks, unsigned harts) {
  node.allow_only({"name", "user", "band", "priority", "cpu", "repeat", "steps"});
  kernel::ThreadScript t;
  t.name = node.at("name").as_string();
  t.user = node.bool_or("user", false);
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
  if (node.has("priority")) t.priority = small_uint(node.at("priority"), 0, range.size - 1);
  if (node.has("cpu")) t.cpu = small_uint(node.at("cpu"), 0, harts - 1);
  t.repeat = static_cast<unsigned>(node.uint_or("repeat", 1));
  for (const ConfigNode& step : node.at("steps").items()) t.steps.push_back(read_step(step, locks));
  return t;
}

// kernel.personality: one name or a list to compare; kernel.<name>: that one's options.
void read_personalities(const ConfigNode& k, Scenario& s) {
  const ConfigNode p = k.at("personality");
  const std::vector<ConfigNode> names = p.yaml().IsSequence() ? p.items() : std::vector<ConfigNode>{p};
  if (names.empty()) p.fail("name at least one personality");
  for (const ConfigNode& n : names) {
    try {
      kernel::parse_personality(n.as_string());
    } catch (const std::invalid_argument& e) {
      n.fail(e.what());
    }
    s.personalities.push_back(n.as_string());
  }
  s.personality.kind = kernel::parse_personality(s.personalities.front());
  if (k.has("netbsd")) {
    const ConfigNode o = k.at("netbsd");
    o.allow_only({"fast_softints", "kernel_preemption"});
    s.personality.netbsd.fast_softints = o.bool_or("fast_softints", s.personality.netbsd.fast_softints);
    s.personality.netbsd.kernel_preemption = o.bool_or("kernel_preemption", s.personality.netbsd.kernel_preemption);
  }
  if (k.has("bsd43")) {
    const ConfigNode o = k.at("bsd43");
    o.allow_only({"big_lock"});
    s.personality.bsd43.big_lock = o.bool_or("big_lock", s.personality.bsd43.big_lock);
  }
  if (k.has("linux")) {
    const ConfigNode o = k.at("linux");
    o.allow_only({"ksoftirqd_defers", "threadirqs", "preempt_rt", "kernel_preemption", "max_softirq_jiffies",
                  "max_softirq_restart"});
    kernel::LinuxOptions& l = s.personality.linux_;
    l.ksoftirqd_defers = o.bool_or("ksoftirqd_defers", l.ksoftirqd_defers);
    l.threadirqs = o.bool_or("threadirqs", l.threadirqs);
    l.preempt_rt = o.bool_or("preempt_rt", l.preempt_rt);
    l.kernel_preemption = o.bool_or("kernel_preemption", l.kernel_preemption);
    if (o.has("max_softirq_jiffies")) l.max_softirq_jiffies = small_uint(o.at("max_softirq_jiffies"), 1, 1000);
    if (o.has("max_softirq_restart")) l.max_softirq_restart = small_uint(o.at("max_softirq_restart"), 1, 1000);
  }
  if (k.has("freebsd")) {
    const ConfigNode o = k.at("freebsd");
    o.allow_only({"preemption", "preempt_thresh", "intr_storm_threshold"});
    kernel::FreebsdOptions& f = s.personality.freebsd;
    f.preemption = o.bool_or("preemption", f.preemption);
    if (o.has("preempt_thresh")) f.preempt_thresh = small_uint(o.at("preempt_thresh"), 0, 255);
    if (o.has("intr_storm_threshold")) f.intr_storm_threshold = small_uint(o.at("intr_storm_threshold"), 0, 1'000'000);
  }
}

}  // namespace

kernel::CostProfile load_cost_profile(const std::filesystem::path& file) {
  const ConfigNode root = ConfigNode::load_file(file);
  kernel::CostProfile costs;
  for (const auto& entry : root.yaml()) {
    const std::string key = entry.first.Scalar();
    bool known = false;
    for (const kernel::CostField& f : kernel::cost_fields()) known = known || f.name == key;
    if (!known) ConfigNode(entry.first, root.file(), key).fail("unknown cost parameter");
  }
  for (const kernel::CostField& f : kernel::cost_fields()) costs.*f.member = root.at(f.name).as_uint();
  return costs;
}

Scenario load_scenario(const std::filesystem::path& file, const std::vector<std::string>& overrides) {
  ConfigNode loaded = ConfigNode::load_file(file);
  for (const std::string& o : overrides) apply_override(loaded.yaml(), o);
  const ConfigNode root(loaded.yaml(), file.string(), "");
  root.allow_only({"name", "seed", "duration_cycles", "waves", "platform", "kernel", "sources", "locks", "threads"});

  Scenario s;
  s.file = file;
  s.name = root.string_or("name", file.stem().string());
  s.seed = root.uint_or("seed", s.seed);
  s.duration_cycles = root.at("duration_cycles").as_uint();
  if (s.duration_cycles == 0) root.at("duration_cycles").fail("must be at least 1");
  if (root.has("waves")) read_waves(root.at("waves"), s);

  if (root.has("platform")) {
    const ConfigNode p = root.at("platform");
    if (p.has("step_cycles"))
      p.at("step_cycles").fail("was removed: a busy hart now takes an interrupt at its exact cycle; "
                               "model instruction lengths with platform.instruction_cycles");
    p.allow_only({"harts", "clock_period_ps", "bus", "memory_latency", "timer", "instruction_cycles",
                  "skip_quiescent"});
    if (p.has("instruction_cycles")) s.instructions = instruction_lengths(p.at("instruction_cycles"));
    s.skip_quiescent = p.bool_or("skip_quiescent", s.skip_quiescent);
    if (p.has("harts")) s.harts = small_uint(p.at("harts"), 1, 4);
    s.clock_period_ps = p.uint_or("clock_period_ps", s.clock_period_ps);
    if (s.clock_period_ps == 0 || s.clock_period_ps % 2 != 0)
      p.at("clock_period_ps").fail("must be a positive even number of picoseconds");
    if (p.has("bus")) {
      const ConfigNode b = p.at("bus");
      b.allow_only({"request_cycles", "response_cycles"});
      if (b.has("request_cycles")) s.bus.request_cycles = small_uint(b.at("request_cycles"), 0, 1000);
      if (b.has("response_cycles")) s.bus.response_cycles = small_uint(b.at("response_cycles"), 0, 1000);
    }
    s.memory_latency = p.uint_or("memory_latency", s.memory_latency);
    if (p.has("timer")) {
      const ConfigNode t = p.at("timer");
      t.allow_only({"prescale", "step"});
      if (t.has("prescale")) s.tick.prescale = small_uint(t.at("prescale"), 0, kernel::kTimerPrescaleMax);
      if (t.has("step")) s.tick.step = small_uint(t.at("step"), 1, kernel::kTimerStepMax);
    }
  }

  const ConfigNode k = root.at("kernel");
  k.allow_only({"cost_profile", "tick_period", "tick_priority", "personality", "netbsd", "bsd43", "freebsd", "linux"});
  s.cost_profile_file = file.parent_path() / k.at("cost_profile").as_string();
  try {
    s.costs = load_cost_profile(s.cost_profile_file);
  } catch (const ConfigError& e) {
    k.at("cost_profile").fail(e.what());
  }
  if (k.has("personality")) read_personalities(k, s);
  s.tick.period = k.uint_or("tick_period", 0);
  if (k.has("tick_priority")) s.tick.priority = small_uint(k.at("tick_priority"), 1, kMaxPriority);

  if (root.has("locks")) {
    for (const ConfigNode& n : root.at("locks").items()) {
      const std::string name = n.as_string();
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
  return s;
}

}  // namespace irqlab::cosim
