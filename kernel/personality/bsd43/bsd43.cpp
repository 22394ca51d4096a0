#include "personality/bsd43/bsd43.h"

#include <stdexcept>

#include "kernel.h"
#include "personality/registry.h"
#include "sync/sleepq.h"

namespace irqlab::kernel {

IplTable bsd43_ipl_table(unsigned max) {
  return build_ipl_table({{"SPL0", false},
                {"SOFTCLOCK", true},
                {"SOFTNET", true},
                {"BIO", false},
                {"IMP", false},
                {"CLOCK", false},
                {"HIGH", false}},
               max);
}

namespace bsd43 {

namespace {

// netintr's order (vax locore.s): IMP, IP, NS, RAW, then the neutral deferrals' bits.
const std::vector<unsigned>& netintr_order() {
  static const std::vector<unsigned> order = [] {
    std::vector<unsigned> o{NETISR_IMP, NETISR_IP, NETISR_NS, NETISR_RAW};
    for (unsigned b = 0; b < 32; ++b)
      if (b != NETISR_IMP && b != NETISR_IP && b != NETISR_NS && b != NETISR_RAW) o.push_back(b);
    return o;
  }();
  return order;
}

Bsd43Options options_of(const KernelConfig& config) {
  return read_options(option_fields(), config.personality.options_of(kName));
}

void configure(KernelConfig& config) {
  if (config.ipl.empty()) config.ipl = bsd43_ipl_table(config.platform.plic_max_priority);
  config.sched.kernel_preemption = false;  // B-7
}

std::vector<std::string> validate(const KernelConfig& config) {
  std::vector<std::string> errors;
  if (!config.ipl.empty() && config.ipl != bsd43_ipl_table(config.platform.plic_max_priority))
    errors.push_back("bsd43: kernel.ipl must be the 4.3BSD table (research B-1) or empty");
  return errors;
}

const PersonalityRegistration kRegistration{{
    .name = std::string(kName),
    .summary = "4.3BSD to NetBSD 3: spl levels, netisr, no kernel preemption, big lock on MP",
    .options = option_schema(option_fields()),
    .costs = {},
    .configure = configure,
    .validate = validate,
    .make = [](Kernel& kernel) -> std::unique_ptr<Personality> {
      return std::make_unique<Bsd43>(kernel, options_of(kernel.config()));
    },
}};

}  // namespace

std::span<const OptionField<Bsd43Options>> option_fields() {
  static constexpr OptionField<Bsd43Options> fields[] = {
    {"big_lock", &Bsd43Options::big_lock, 0, 1, "",
     "B-9: with cpus > 1 one recursive kernel lock serializes deferred work and device interrupts"},
  };
  return fields;
}

PersonalityConfig selected(const Bsd43Options& options) {
  return {std::string(kName), {{std::string(kName), write_options(option_fields(), options)}}};
}

Bsd43& of(Kernel& kernel) {
  return static_cast<Bsd43&>(expect_personality(kernel, kName));
}

Bsd43::Bsd43(Kernel& kernel, const Bsd43Options& options)
    : Personality(kernel), options_(options), netisrs_(32, nullptr) {}

Bsd43::~Bsd43() = default;

void Bsd43::attach() {
  Spl& spl = kernel_.spl();
  softclock_ = spl.find("SOFTCLOCK");
  softnet_ = spl.find("SOFTNET");
  clock_level_ = spl.find("CLOCK");
  big_lock_ = options_.big_lock && kernel_.config().cpus > 1;
  spl.establish(softnet_, SoftMode::InPlace, [this](unsigned cpu) { netintr(cpu); });
  spl.establish(softclock_, SoftMode::InPlace, [this](unsigned cpu) { softclock(cpu); });
}

unsigned Bsd43::level(const std::string& name) const { return kernel_.spl().find(name); }

unsigned Bsd43::vax_ipl(unsigned level) {
  static constexpr unsigned ipl[] = {0, 0x8, 0xC, 0x15, 0x16, 0x18, 0x1F};
  return level < 7 ? ipl[level] : 0x1F;
}

// 4.3BSD's splX() (vax/asm.sed: mfpr IPL; mtpr $X, IPL) sets the level, lowering it if
// need be; lowering serves soft levels as splx does.
namespace {
unsigned set_spl(Spl& spl, unsigned level) {
  const unsigned old = spl.level();
  spl.splx(level);
  return old;
}
}  // namespace

unsigned Bsd43::spl0() { return set_spl(kernel_.spl(), 0); }
unsigned Bsd43::splsoftclock() { return set_spl(kernel_.spl(), softclock_); }
unsigned Bsd43::splnet() { return set_spl(kernel_.spl(), softnet_); }
unsigned Bsd43::splbio() { return set_spl(kernel_.spl(), level("BIO")); }
unsigned Bsd43::spltty() { return splbio(); }
unsigned Bsd43::splimp() { return set_spl(kernel_.spl(), level("IMP")); }
unsigned Bsd43::splclock() { return set_spl(kernel_.spl(), clock_level_); }
unsigned Bsd43::splhigh() { return set_spl(kernel_.spl(), level("HIGH")); }
void Bsd43::splx(unsigned s) { kernel_.spl().splx(s); }

bool Bsd43::runrun(unsigned cpu) const { return kernel_.cpu_state(cpu).need_resched; }

void Bsd43::lock() {
  if (big_lock_) kernel_.big_lock().enter();
}
void Bsd43::unlock() {
  if (big_lock_) kernel_.big_lock().exit();
}

IrqHandler Bsd43::wrap_irq(unsigned /*source*/, unsigned priority, IrqHandler handler) {
  // B-9: devices below splclock run under the kernel lock (NetBSD 3 x86_intlock).
  if (big_lock_ && device_level(priority) < clock_level_)
    handler = [this, h = std::move(handler)](unsigned source) {
      lock();
      h(source);
      unlock();
    };
  return at_device_level(priority, std::move(handler));  // the VAX's device IPL
}

void Bsd43::netisr_establish(unsigned bit, std::string name, std::function<void()> fn) {
  if (bit >= 32) throw std::invalid_argument("netisr_establish: bit " + std::to_string(bit));
  if (netisrs_[bit] != nullptr)
    throw std::invalid_argument("netisr bit " + std::to_string(bit) + " established twice");
  DeferredWork& w = kernel_.deferred_record({std::move(name), DeferLevel::Net, false, false, std::move(fn)});
  w.set_mechanism_name("netisr");
  w.mechanism = [this, bit](DeferredWork&) { schednetisr(bit); };
  netisrs_[bit] = &w;
}

void Bsd43::schednetisr(unsigned bit) {
  const std::uint32_t mask = std::uint32_t{1} << bit;
  if (netisrs_[bit] != nullptr) netisrs_[bit]->raised((netisr_ & mask) != 0);
  netisr_ |= mask;                       // B-3: the global word
  kernel_.spl().trigger(softnet_);       // setsoftnet: SIRR 12 on this CPU
}

void Bsd43::netintr(unsigned /*cpu*/) {
  lock();
  for (unsigned bit : netintr_order()) {  // B-5
    const std::uint32_t mask = std::uint32_t{1} << bit;
    if ((netisr_ & mask) == 0) continue;
    netisr_ &= ~mask;
    if (netisrs_[bit] != nullptr) netisrs_[bit]->run();
  }
  unlock();
}

void Bsd43::schedule_softclock(DeferredWork& work) {
  const bool pending = work.outstanding();
  work.raised(pending);
  if (!pending) softclock_queue_.push_back(&work);
  kernel_.spl().trigger(softclock_);
}

void Bsd43::softclock(unsigned /*cpu*/) {
  lock();
  while (!softclock_queue_.empty()) {
    DeferredWork* w = softclock_queue_.front();
    softclock_queue_.pop_front();
    w->run();
  }
  unlock();
}

void Bsd43::schedule_thread(Thread& t, DeferredWork& work) {
  const bool pending = work.outstanding();
  work.raised(pending);
  if (pending) return;
  t.queue.push_back(&work);
  if (Lwp* lwp = t.idle->pop()) kernel_.sched().wakeup(*lwp);  // sets runrun only (B-7)
}

void Bsd43::thread_loop(Thread& t) {
  Kernel& k = kernel_;
  bool slept = true;  // the switch into the thread counts for its first work
  for (;;) {
    while (t.queue.empty()) {
      t.idle->enqueue(k.sched().current());
      k.sched().block();
      slept = true;
    }
    lock();
    DeferredWork* last = nullptr;
    while (!t.queue.empty()) {
      DeferredWork* w = t.queue.front();
      t.queue.pop_front();
      if (slept) w->charge_switch(SwitchKind::Full);
      slept = false;
      last = w;
      w->run();
    }
    unlock();
    if (t.queue.empty()) last->charge_switch(SwitchKind::Full);  // the sleep that follows
  }
}

void Bsd43::establish(DeferredWork& work) {
  bind_mechanism(work);
  // Bottom halves: OrDeferred takes the mechanism, OrInline runs in the hard handler.
  if (work.spec().bottom_half == BottomHalf::OrInline) run_inline_from_hard_interrupt(work);
}

void Bsd43::bind_mechanism(DeferredWork& work) {
  const DeferredSpec& s = work.spec();
  if (s.may_block) {
    Thread& t = threads_[static_cast<unsigned>(s.level)];
    if (t.lwp == nullptr) {
      t.idle = std::make_unique<SleepQueue>();
      LwpSpec spec;
      spec.name = std::string("kthread/") + defer_level_name(s.level);
      spec.band = Band::Kernel;
      spec.priority = band_range(Band::Kernel).size - 1;
      spec.body = [this, &t] { thread_loop(t); };
      t.lwp = &kernel_.create_lwp(std::move(spec));
    }
    work.set_mechanism_name(std::string("kthread/") + defer_level_name(s.level));
    work.mechanism = [this, &t](DeferredWork& w) { schedule_thread(t, w); };
    return;
  }
  if (s.level == DeferLevel::Clock || s.level == DeferLevel::Bio) {
    work.set_mechanism_name("softclock");
    work.mechanism = [this](DeferredWork& w) { schedule_softclock(w); };
    return;
  }
  for (unsigned bit = kFirstDeferredBit; bit < 32; ++bit)
    if (netisrs_[bit] == nullptr) {
      netisrs_[bit] = &work;
      work.set_mechanism_name("netisr");
      work.mechanism = [this, bit](DeferredWork&) { schednetisr(bit); };
      return;
    }
  throw std::invalid_argument("establish_deferred(" + work.name() + "): no free netisr bit");
}

}  // namespace bsd43
}  // namespace irqlab::kernel
