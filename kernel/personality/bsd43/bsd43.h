#pragma once
// The monolithic big-lock kernel, 4.3BSD to NetBSD 3 (research §4): handlers in the
// current context, software interrupts on return from interrupt, no context switch.
//
// configure: the B-1 table (bsd43_ipl_table: SPL0, SOFTCLOCK 0x8, SOFTNET 0xC = 4.3's
// splnet, BIO 0x15 = spltty, IMP 0x16, CLOCK 0x18, HIGH 0x1F) and no kernel preemption
// (B-7). With the test platform's 7 PLIC priorities: BIO masks <= 4, IMP <= 5,
// CLOCK <= 6, HIGH all; so a network device has priority 5, a disk 4.
//
// - spl0/splsoftclock/splnet/splbio/spltty/splimp/splclock/splhigh return the old
//   level; splx(s) restores it. splnet masks only protocol processing (soft), splimp the
//   network devices (B-2). vax_ipl() gives the VAX IPL of a level.
// - schednetisr(n) sets bit n of the global netisr word and requests the soft-net
//   interrupt on the calling CPU (setsoftnet); idempotent (B-3).
// - netintr runs in interrupt context (in place, no LWP, no switch) whenever the CPU's
//   level drops below SOFTNET: at interrupt return before the interrupted context
//   resumes (B-4, B-8) and at splx (B-6); softclock (SOFTCLOCK) is below it. It
//   test-and-clears the bits in the fixed order IMP, IP, NS, RAW, then the other bits
//   ascending (neutral deferrals), calling each protocol's routine once per bit (B-5).
//   IfQueue: the per-protocol queue, accessed at splimp.
// - Non-preemptive kernel (B-7): a wake-up only sets runrun (need_resched, the AST); the
//   switch happens when the running LWP sleeps or returns to user mode.
// - Device handlers (Kernel::attach_irq) run at their device's level: the lowest
//   hardware level masking their PLIC priority (the VAX takes an interrupt at the device
//   IPL), so an splx() inside them never lowers below it.
// - Big kernel lock on MP (B-9, cpus > 1 and options.big_lock): netintr, softclock,
//   the deferred-work threads and device handlers below splclock run holding kernel_lock
//   (recursive: the interrupted LWP may hold it already); clock and IPI handlers do not.
//   LWPs must not hold kernel_lock across Kernel::user() (NetBSD 3 dropped it at userret).
//
// Neutral API: may_block = false: Net and Serial -> a netisr bit (8..31) run by netintr;
// Clock and Bio -> the softclock queue (4.3BSD has no soft bio or soft serial level).
// may_block = true: 4.3BSD has no blocking deferred work, so the work runs on a kernel
// thread per level ("kthread/<level>", Kernel band, top priority, not bound), woken by
// schedule() and, the kernel being non-preemptive, switched to at the next sleep or
// return to user (FS in, FS out), as NetBSD 3 ran OCF's cryptoret (research §6).
// Bottom halves: OrDeferred takes the level's mechanism, OrInline runs at once in the
// hard handler that schedules it. Crypto callbacks: Immediate (at interrupt level, the
// research's "pure spl" row); a scenario's crypto.callback thread gives NetBSD 3's
// FAST_IPSEC with OCF's cryptoret. DeferredWork::dispatch() always queues (schednetisr).
#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <string_view>
#include <optional>
#include <vector>

#include "ipl/ipl_table.h"
#include "personality/personality.h"

namespace irqlab::kernel {

struct Lwp;
class SleepQueue;

struct Bsd43Options {
  // B-9: on a multiprocessor (cpus > 1) one recursive kernel lock serializes deferred
  // work and device interrupts below splclock with all other locked kernel code.
  bool big_lock = true;
};

// 4.3BSD VAX (research B-1), in IPL order: SPL0 (0), SOFTCLOCK (0x8), SOFTNET (0xC,
// 4.3's splnet), BIO (0x15, also spltty), IMP (0x16), CLOCK (0x18), HIGH (0x1F);
// thresholds by the ipl/ipl_table.h convention.
IplTable bsd43_ipl_table(unsigned plic_max_priority);

namespace bsd43 {

// The name it registers under: scenario value of kernel.personality, options under
// kernel.bsd43.
inline constexpr std::string_view kName = "bsd43";

// net/netisr.h 7.1
inline constexpr unsigned NETISR_RAW = 0;
inline constexpr unsigned NETISR_IP = 2;
inline constexpr unsigned NETISR_IMP = 3;
inline constexpr unsigned NETISR_NS = 6;
inline constexpr unsigned kFirstDeferredBit = 8;

class Bsd43 : public Personality {
 public:
  Bsd43(Kernel& kernel, const Bsd43Options& options);
  ~Bsd43() override;
  std::string_view name() const override { return kName; }
  void attach() override;
  IrqHandler wrap_irq(unsigned source, unsigned priority, IrqHandler handler) override;
  void establish(DeferredWork& work) override;
  CryptoCallbackMode crypto_callback_default() const override {
    return CryptoCallbackMode::Immediate;
  }

  // spl(9) of 4.3BSD: each returns the old level (spl0 lowers).
  unsigned spl0();
  unsigned splsoftclock();
  unsigned splnet();
  unsigned splbio();
  unsigned spltty();
  unsigned splimp();
  unsigned splclock();
  unsigned splhigh();
  void splx(unsigned s);
  unsigned level(const std::string& name) const;
  // VAX IPL of a level (B-1): 0, 0x8, 0xC, 0x15, 0x16, 0x18, 0x1F.
  static unsigned vax_ipl(unsigned level);

  // Protocol input routines: before the harts boot (or any time before use).
  void netisr_establish(unsigned bit, std::string name, std::function<void()> fn);
  void schednetisr(unsigned bit);
  std::uint32_t netisr() const { return netisr_; }

  // Non-preemptive scheduling (B-7): runrun on `cpu` (an AST is pending).
  bool runrun(unsigned cpu) const;
  bool big_lock() const { return big_lock_; }
  DeferredWork& netisr_work(unsigned bit) const { return *netisrs_.at(bit); }

 private:
  struct Thread {  // may_block deferrals of one level
    Lwp* lwp = nullptr;
    std::unique_ptr<SleepQueue> idle;
    std::deque<DeferredWork*> queue;
  };
  void bind_mechanism(DeferredWork& work);  // the neutral mapping above
  void netintr(unsigned cpu);
  void softclock(unsigned cpu);
  void thread_loop(Thread& t);
  void schedule_softclock(DeferredWork& work);
  void schedule_thread(Thread& t, DeferredWork& work);
  void lock();
  void unlock();

  Bsd43Options options_;
  bool big_lock_ = false;
  unsigned softnet_ = 0, softclock_ = 0, clock_level_ = 0;
  std::uint32_t netisr_ = 0;  // global, as in 4.3BSD
  std::vector<DeferredWork*> netisrs_;  // indexed by bit
  std::deque<DeferredWork*> softclock_queue_;
  Thread threads_[4];
};

// Its options, declared once (personality/options.h).
std::span<const OptionField<Bsd43Options>> option_fields();
// KernelConfig::personality running this personality with `options`.
PersonalityConfig selected(const Bsd43Options& options = {});
Bsd43& of(Kernel& kernel);

// A protocol input queue (struct ifqueue): put by the driver, taken one packet at a
// time by the protocol routine, both at splimp (B-5).
template <typename T>
class IfQueue {
 public:
  explicit IfQueue(Bsd43& bsd) : bsd_(bsd) {}
  void put(T packet) {
    const unsigned s = bsd_.splimp();
    queue_.push_back(std::move(packet));
    bsd_.splx(s);
  }
  std::optional<T> get() {
    const unsigned s = bsd_.splimp();
    std::optional<T> out;
    if (!queue_.empty()) {
      out = std::move(queue_.front());
      queue_.pop_front();
    }
    bsd_.splx(s);
    return out;
  }
  std::size_t size() const { return queue_.size(); }

 private:
  Bsd43& bsd_;
  std::deque<T> queue_;
};

}  // namespace bsd43
}  // namespace irqlab::kernel
