#include "personality/netbsd/netbsd.h"

#include <stdexcept>

#include "kernel.h"
#include "personality/registry.h"
#include "sync/sleepq.h"

namespace irqlab::kernel {

IplTable netbsd_ipl_table(unsigned max) {
  return build_ipl_table({{"NONE", false},
                {"PREEMPT", true},
                {"SOFTCLOCK", true},
                {"SOFTBIO", true},
                {"SOFTNET", true},
                {"SOFTSERIAL", true},
                {"VM", false},
                {"SCHED", false},
                {"HIGH", false}},
               max);
}

namespace netbsd {

namespace {

const char* const kSoftIplName[SOFTINT_COUNT] = {"SOFTCLOCK", "SOFTBIO", "SOFTNET", "SOFTSERIAL"};
const char* const kLevelName[SOFTINT_COUNT] = {"clock", "bio", "net", "serial"};

unsigned softint_level_of(DeferLevel level) {
  switch (level) {
    case DeferLevel::Clock: return SOFTINT_CLOCK;
    case DeferLevel::Bio: return SOFTINT_BIO;
    case DeferLevel::Net: return SOFTINT_NET;
    case DeferLevel::Serial: return SOFTINT_SERIAL;
  }
  return SOFTINT_NET;
}

DeferLevel defer_level_of(unsigned level) {
  static constexpr DeferLevel map[SOFTINT_COUNT] = {DeferLevel::Clock, DeferLevel::Bio,
                                                     DeferLevel::Net, DeferLevel::Serial};
  return map[level];
}

NetbsdOptions options_of(const KernelConfig& config) {
  return read_options(option_fields(), config.personality.options_of(kName));
}

void configure(KernelConfig& config) {
  if (config.ipl.empty()) config.ipl = netbsd_ipl_table(config.platform.plic_max_priority);
  config.sched.kernel_preemption = options_of(config).kernel_preemption;
}

std::vector<std::string> validate(const KernelConfig& config) {
  std::vector<std::string> errors;
  const NetbsdOptions o = options_of(config);
  if (o.kernel_preemption && !o.fast_softints)
    errors.push_back(
        "netbsd: kernel_preemption needs fast_softints (__HAVE_PREEMPTION without "
        "__HAVE_FAST_SOFTINTS is an #error, research N-SI-16)");
  if (!config.ipl.empty() && config.ipl != netbsd_ipl_table(config.platform.plic_max_priority))
    errors.push_back("netbsd: kernel.ipl must be the NetBSD table (research N-IPL-1) or empty");
  return errors;
}

const PersonalityRegistration kRegistration{{
    .name = std::string(kName),
    .summary = "NetBSD 5: hard interrupts on the interrupted LWP, fast softints on their own LWPs",
    .options = option_schema(option_fields()),
    .costs = {},
    .configure = configure,
    .validate = validate,
    .make = [](Kernel& kernel) -> std::unique_ptr<Personality> {
      return std::make_unique<Netbsd>(kernel, options_of(kernel.config()));
    },
}};

}  // namespace

std::span<const OptionField<NetbsdOptions>> option_fields() {
  static constexpr OptionField<NetbsdOptions> fields[] = {
      {"fast_softints", &NetbsdOptions::fast_softints, 0, 1, "",
       "N-SI-6..9 fast path (__HAVE_FAST_SOFTINTS); false: the N-SI-16 slow path"},
      {"kernel_preemption", &NetbsdOptions::kernel_preemption, 0, 1, "",
       "__HAVE_PREEMPTION: kernel preemption (N-SI-12); needs fast_softints"},
      {"softint_max", &NetbsdOptions::softint_max, 1, 4096, "slots",
       "softint handler slots; softint_establish returns no cookie when all are used (N-SI-2)"},
      {"softint_continuation", &NetbsdOptions::softint_continuation, 0, 1, "",
       "crypto callbacks on a net softint (research §6, Thomas/Doran intent) instead of the "
       "cryptoret thread"},
  };
  return fields;
}

PersonalityConfig selected(const NetbsdOptions& options) {
  return {std::string(kName), {{std::string(kName), write_options(option_fields(), options)}}};
}

Netbsd& of(Kernel& kernel) {
  return static_cast<Netbsd&>(expect_personality(kernel, kName));
}

Netbsd::Netbsd(Kernel& kernel, const NetbsdOptions& options)
    : Personality(kernel),
      options_(options),
      handlers_(options.softint_max),
      levels_(kernel.config().cpus, std::vector<Level>(SOFTINT_COUNT)),
      tick_waiters_(std::make_unique<SleepQueue>()) {}

Netbsd::~Netbsd() = default;

void Netbsd::attach() {
  Spl& spl = kernel_.spl();
  const unsigned cpus = kernel_.config().cpus;
  for (unsigned l = 0; l < SOFTINT_COUNT; ++l) soft_ipl_[l] = spl.find(kSoftIplName[l]);
  if (options_.fast_softints) {
    // N-SI-1, N-SI-6..9: one Spl OwnLwp level per softint level; the LWPs are created
    // by Spl at the top of the Interrupt band, serial highest.
    for (unsigned l = 0; l < SOFTINT_COUNT; ++l) {
      spl.establish(soft_ipl_[l], SoftMode::OwnLwp, [this, l](unsigned cpu) { execute(cpu, l); });
      for (unsigned cpu = 0; cpu < cpus; ++cpu) levels_[cpu][l].lwp = spl.soft_lwp(soft_ipl_[l], cpu);
    }
    return;
  }
  // N-SI-16: the same LWPs (same ids and priorities), made runnable by the trigger.
  const unsigned top = soft_ipl_[SOFTINT_SERIAL];
  for (unsigned l = 0; l < SOFTINT_COUNT; ++l) {
    const unsigned priority = band_range(Band::Interrupt).size - 1 - (top - soft_ipl_[l]);
    for (unsigned cpu = 0; cpu < cpus; ++cpu)
      levels_[cpu][l].lwp = &kernel_.sched().create_softint(
          cpu, soft_ipl_[l], priority, std::string("softint/") + kSoftIplName[l] + "/" + std::to_string(cpu),
          [this, cpu, l] { slow_loop(cpu, l); });
  }
}

Lwp& Netbsd::softint_lwp(unsigned cpu, unsigned level) const { return *levels_.at(cpu).at(level).lwp; }

unsigned Netbsd::ipl(const std::string& name) const { return kernel_.spl().find(name); }
unsigned Netbsd::splsoftnet() { return kernel_.spl().raise(ipl("SOFTNET")); }
unsigned Netbsd::splnet() { return splvm(); }
unsigned Netbsd::splvm() { return kernel_.spl().raise(ipl("VM")); }
unsigned Netbsd::splsched() { return kernel_.spl().raise(ipl("SCHED")); }
unsigned Netbsd::splhigh() { return kernel_.spl().raise(ipl("HIGH")); }
void Netbsd::splx(unsigned s) { kernel_.spl().splx(s); }

std::optional<SoftintCookie> Netbsd::softint_establish(unsigned flags, std::string name,
                                                       std::function<void()> fn) {
  const unsigned level = flags & SOFTINT_LVLMASK;
  if (level >= SOFTINT_COUNT)
    throw std::invalid_argument("softint_establish(" + name + "): bad level " + std::to_string(level));
  DeferredSpec spec{std::move(name), defer_level_of(level), true, (flags & SOFTINT_MPSAFE) != 0,
                    std::move(fn)};
  for (const Handler& h : handlers_)
    if (!h.used) return bind(flags, kernel_.deferred_record(std::move(spec)));
  return std::nullopt;  // N-SI-2: table full
}

SoftintCookie Netbsd::bind(unsigned flags, DeferredWork& work) {
  for (SoftintCookie c = 0; c < handlers_.size(); ++c) {
    Handler& h = handlers_[c];
    if (h.used) continue;
    h.used = true;
    h.level = flags & SOFTINT_LVLMASK;
    h.mpsafe = (flags & SOFTINT_MPSAFE) != 0;
    h.work = &work;
    h.flags.assign(kernel_.config().cpus, 0);
    work.set_mechanism_name(std::string("softint/") + kLevelName[h.level]);
    work.mechanism = [this, c](DeferredWork& w) { schedule(w, c); };
    return c;
  }
  throw std::invalid_argument("establish_deferred(" + work.name() + "): softint table full (" +
                              std::to_string(handlers_.size()) + " handlers)");
}

void Netbsd::establish(DeferredWork& work) {
  const DeferredSpec& s = work.spec();
  bind(softint_level_of(s.level) | (s.mpsafe ? SOFTINT_MPSAFE : 0), work);
  // Bottom halves: OrDeferred is the softint, OrInline runs in the hard handler.
  if (s.bottom_half == BottomHalf::OrInline) run_inline_from_hard_interrupt(work);
}

CryptoCallbackMode Netbsd::crypto_callback_default() const {
  return options_.softint_continuation ? CryptoCallbackMode::Deferred : CryptoCallbackMode::Thread;
}

void Netbsd::softint_schedule(SoftintCookie cookie) {
  if (cookie >= handlers_.size() || !handlers_[cookie].used)
    kernel_.panic("softint_schedule: handler " + std::to_string(cookie) + " not established");
  schedule(*handlers_[cookie].work, cookie);
}

void Netbsd::schedule(DeferredWork& work, SoftintCookie cookie) {
  const unsigned cpu = kernel_.machine().cpu_id();
  Handler& h = handlers_[cookie];
  if (h.flags[cpu] & kPending) {  // N-SI-3: already queued here
    work.raised(true);
    return;
  }
  work.raised(false);
  h.flags[cpu] |= kPending;
  Level& l = levels_[cpu][h.level];
  l.queue.push_back(cookie);
  if (l.active) return;  // N-SI-14: an active level is not re-triggered
  l.active = true;
  trigger(cpu, h.level);
}

void Netbsd::trigger(unsigned cpu, unsigned level) {
  if (options_.fast_softints) {
    kernel_.spl().trigger(soft_ipl_[level]);  // N-SI-6: ipending bit
    return;
  }
  // N-SI-16: the level's LWP becomes runnable; need_resched is the AST.
  Lwp& lwp = *levels_[cpu][level].lwp;
  lwp.state = LwpState::Sleeping;  // Dormant -> runnable through an ordinary wake-up
  kernel_.sched().wakeup(lwp);
}

void Netbsd::slow_loop(unsigned cpu, unsigned level) {
  Spl& spl = kernel_.spl();
  const unsigned s = spl.raise(soft_ipl_[level]);
  execute(cpu, level);
  spl.set_level(s);
}

void Netbsd::execute(unsigned cpu, unsigned level) {
  Level& l = levels_[cpu][level];
  Lwp& self = kernel_.sched().current();
  BigLock& kernel_lock = kernel_.big_lock();
  const SwitchKind entry = self.pinned != nullptr ? SwitchKind::Light : SwitchKind::Full;
  DeferredWork* first = nullptr;
  DeferredWork* last = nullptr;
  bool locked = false;
  while (!l.queue.empty()) {  // N-SI-4
    const SoftintCookie c = l.queue.front();
    l.queue.pop_front();
    Handler& h = handlers_[c];
    h.flags[cpu] = static_cast<std::uint8_t>((h.flags[cpu] & ~kPending) | kActive);
    if (!h.mpsafe && !locked) {  // N-SI-5: lazily
      kernel_lock.enter();
      locked = true;
    } else if (h.mpsafe && locked) {
      kernel_lock.exit();
      locked = false;
    }
    if (first == nullptr) {
      first = h.work;
      first->charge_switch(entry);
    }
    last = h.work;
    const bool pinned = self.pinned != nullptr;
    h.work->run();
    if (pinned && self.pinned == nullptr) ++l.blocks;  // N-SI-11: softint_block
    if (kernel_.cpu_state().ipl != soft_ipl_[level])
      kernel_.panic("softint handler " + h.work->name() + " returned holding a spin mutex (IPL " +
                    kernel_.spl().table()[kernel_.cpu_state().ipl].name + ")");
    h.flags[cpu] &= static_cast<std::uint8_t>(~kActive);
  }
  if (locked) kernel_lock.exit();
  l.active = false;
  // The switch that ends this dispatch: LS back to the pinned LWP, or, once it blocked
  // (N-SI-13) or on the slow path, a full switch away.
  if (last != nullptr) last->charge_switch(self.pinned != nullptr ? SwitchKind::Light : SwitchKind::Full);
}

bool Netbsd::pending(SoftintCookie cookie, unsigned cpu) const {
  return (handlers_.at(cookie).flags.at(cpu) & kPending) != 0;
}
bool Netbsd::active(SoftintCookie cookie, unsigned cpu) const {
  return (handlers_.at(cookie).flags.at(cpu) & kActive) != 0;
}

void Netbsd::softint_disestablish(SoftintCookie cookie) {
  if (cookie >= handlers_.size() || !handlers_[cookie].used)
    kernel_.panic("softint_disestablish: handler " + std::to_string(cookie) + " not established");
  Handler& h = handlers_[cookie];
  // The cross-call barrier is implicit: schedules are atomic in the simulation.
  for (;;) {
    bool busy = false;
    for (std::uint8_t f : h.flags) busy = busy || f != 0;
    if (!busy) break;
    if (kernel_.config().tick.period == 0)
      kernel_.panic("softint_disestablish: handler busy and no tick to kpause on");
    tick_waiters_->enqueue(kernel_.sched().current());  // kpause(1 tick)
    kernel_.sched().block();
  }
  h.used = false;
  h.work->mechanism = nullptr;
  h.work = nullptr;
}

void Netbsd::clock_tick(unsigned /*cpu*/) {
  while (Lwp* lwp = tick_waiters_->pop()) kernel_.sched().wakeup(*lwp);
}

void Netbsd::netisr_establish(unsigned netisr, std::string name, std::function<void()> fn) {
  if (netisr >= 32) throw std::invalid_argument("netisr_establish: netisr " + std::to_string(netisr));
  if (netisrs_.size() <= netisr) netisrs_.resize(netisr + 1);
  if (netisrs_[netisr]) throw std::invalid_argument("netisr " + std::to_string(netisr) + " established twice");
  netisrs_[netisr] = softint_establish(SOFTINT_NET | SOFTINT_MPSAFE, std::move(name), std::move(fn));
  if (!netisrs_[netisr]) throw std::invalid_argument("netisr_establish: softint table full");
}

void Netbsd::schednetisr(unsigned netisr) {
  if (netisr >= netisrs_.size() || !netisrs_[netisr])
    kernel_.panic("schednetisr(" + std::to_string(netisr) + "): no handler");
  softint_schedule(*netisrs_[netisr]);
}

NetbsdMutex::NetbsdMutex(Kernel& kernel, std::string name, unsigned ipl) {
  const IplTable& t = kernel.spl().table();
  if (ipl >= t.size()) throw std::invalid_argument("mutex_init(" + name + "): no IPL " + std::to_string(ipl));
  if (ipl == 0 || t[ipl].soft)
    adaptive_ = std::make_unique<AdaptiveMutex>(kernel, std::move(name));
  else
    spin_ = std::make_unique<SpinMutex>(kernel, std::move(name), ipl);
}

void NetbsdMutex::enter() { spin_ ? spin_->enter() : adaptive_->enter(); }
void NetbsdMutex::exit() { spin_ ? spin_->exit() : adaptive_->exit(); }

}  // namespace netbsd
}  // namespace irqlab::kernel
