// NetStack: construction, events and counters, and its LWPs (receiver, busy user, rekey
// thread). The input routines are in ether_ip.cpp and esp.cpp.
#include "net/net_stack.h"

#include <limits>

#include "kernel.h"

namespace irqlab::kernel {
namespace {

// How long one user-mode step of the busy process U lasts. Any length gives the same
// run: interrupts cut a step at their cycle and it goes on after the trap, so this only
// bounds how often U passes through Kernel::user() with nothing to do.
constexpr Cycle kBusyUserStep = 1'000'000;

}  // namespace

NetStack::NetStack(Kernel& kernel)
    : kernel_(kernel),
      config_(kernel.config().ipsec),
      sadb_(kernel, config_, sa_lock_model(kernel.config().personality.name)),
      socket_(kernel, config_.socket_queue) {
  for (std::size_t i = 0; i < mac_.size(); ++i)
    mac_[i] = static_cast<std::uint8_t>(kernel.config().nic.mac >> (8 * i));
  ipintr_ =
      &kernel.establish_deferred({"ipintr", DeferLevel::Net, sadb_.model() == SaLockModel::RwLock,
                                  true, [this] { ipintr_handler(); }});

  LwpSpec receiver{"receiver",           Band::UserTimeshare,        1, true, 0, true,
                   config_.receiver_cpu, [this] { receiver_loop(); }};
  kernel.create_lwp(std::move(receiver));
  if (config_.busy_user) {
    LwpSpec busy{"busy_user", Band::UserTimeshare, 0, true, 0, true, config_.busy_cpu, [&kernel] {
                   for (;;) kernel.user(kBusyUserStep);
                 }};
    kernel.create_lwp(std::move(busy));
  }
  if (config_.rekey_period != 0) {
    next_rekey_ = config_.rekey_period;
    LwpSpec rekey{
        "rekey", Band::Kernel, 0, false, 0, true, config_.busy_cpu, [this] { rekey_loop(); }};
    rekey_thread_ = &kernel.create_lwp(std::move(rekey));
    kernel.on_tick([this](unsigned cpu) { rekey_tick(cpu); });
  }
}

void NetStack::stage(std::uint32_t packet, PacketStage stage) const {
  Machine& m = kernel_.machine();
  kernel_.tracer().emit(m.now(), m.cpu_id(), TraceKind::PacketStage, packet,
                        static_cast<std::uint32_t>(stage));
}

void NetStack::drop(std::uint32_t packet, NetDropCause cause) {
  Machine& m = kernel_.machine();
  ++stats_.drops[static_cast<std::size_t>(cause)];
  kernel_.tracer().emit(m.now(), m.cpu_id(), TraceKind::PacketDrop, packet,
                        static_cast<std::uint32_t>(cause));
}

void NetStack::receiver_loop() {
  for (;;) {
    Datagram d = socket_.receive();
    ++stats_.read;
    Machine& m = kernel_.machine();
    kernel_.tracer().emit_frame(m.now(), m.cpu_id(), TraceKind::SocketRead, d.packet,
                                static_cast<std::uint32_t>(d.payload.size()), d.payload);
    stage(d.packet, PacketStage::UserRead);
    kernel_.user(0);  // the system call returns to user mode
  }
}

void NetStack::rekey_loop() {
  for (;;) {
    rekey_sleep_.enqueue(kernel_.sched().current());
    kernel_.sched().block();
    sadb_.rekey(config_.rekey_hold);
    ++stats_.rekeys;
  }
}

void NetStack::rekey_tick(unsigned cpu) {
  if (cpu != config_.busy_cpu) return;
  const Cycle now = kernel_.machine().now();
  if (now < next_rekey_) return;
  while (next_rekey_ <= now) next_rekey_ += config_.rekey_period;
  // A thread still inside its last hold is not on the sleep queue: that period is skipped.
  if (Lwp* thread = rekey_sleep_.pop()) kernel_.sched().wakeup(*thread);
}

}  // namespace irqlab::kernel
