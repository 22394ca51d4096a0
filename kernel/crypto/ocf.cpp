#include "crypto/ocf.h"

#include <deque>
#include <map>
#include <stdexcept>
#include <utility>

#include "kernel.h"
#include "sync/condvar.h"
#include "sync/spin_mutex.h"

// Design (the header gives the API and the modes):
//   - The framework owns every request: `in_flight` from dispatch() until its callback
//     has run, keyed by id; drivers and queues hold plain pointers into it.
//   - `pending` holds the requests the driver refused (ring full) in dispatch order; a new
//     request goes behind them, so requests reach the engine in dispatch order.
//   - Queue operations and the decisions around them have no step boundary in between
//     (no cost is spent there), so an interrupt on this CPU never sees them half done;
//     a request leaves `pending` before process() is called, so an unblock() re-entered
//     from the completion (inline bottom half) never offers it twice.
//   - Thread mode: the return queue is guarded by a spin mutex at the crypto engine's
//     device level (NetBSD's crypto_ret_q_mtx, a spin mutex at IPL_NET), so done() takes
//     it in any context, a hard interrupt on any CPU included. cryptoret holds it from its
//     empty-queue check until it is on the condition variable's sleep queue (cv_wait
//     releases it only then), so a completion on any CPU either finds it asleep and wakes
//     it or queues before the check: no wake-up is lost.
namespace irqlab::kernel {

namespace {

// An ordinary kernel thread (the kernel band's lowest priority, as a kthread created
// with PRI_NONE): every interrupt thread and softint outranks it, every user process
// ranks below it.
constexpr unsigned kCryptoretPriority = 0;

}  // namespace

const char* crypto_callback_mode_name(CryptoCallbackMode mode) {
  switch (mode) {
    case CryptoCallbackMode::Default:
      return "default";
    case CryptoCallbackMode::Immediate:
      return "immediate";
    case CryptoCallbackMode::Deferred:
      return "deferred";
    case CryptoCallbackMode::Thread:
      return "thread";
  }
  return "?";
}

const char* crypto_error_name(CryptoError error) {
  switch (error) {
    case CryptoError::None:
      return "none";
    case CryptoError::BadOpcode:
      return "bad_opcode";
    case CryptoError::BadLength:
      return "bad_length";
    case CryptoError::DmaFault:
      return "dma_fault";
    case CryptoError::NoSession:
      return "no_session";
    case CryptoError::TooLong:
      return "too_long";
  }
  return "?";
}

struct CryptoFramework::State {
  explicit State(Kernel& k) : kernel(k), machine(k.machine()) {}

  Kernel& kernel;
  Machine& machine;
  CryptoDriver* driver = nullptr;
  bool attached = false;
  CryptoCallbackMode mode = CryptoCallbackMode::Immediate;
  CryptoSessionId sessions = 0;  // opened so far; ids are 1..sessions
  std::uint64_t next_id = 1;
  std::map<std::uint64_t, std::unique_ptr<CryptoRequest>> in_flight;
  std::deque<CryptoRequest*> pending;          // refused by the driver, in dispatch order
  std::deque<CryptoRequest*> callbacks;        // done, waiting for crypto_cb or cryptoret
  DeferredWork* callback_work = nullptr;       // Deferred mode
  std::unique_ptr<SpinMutex> queue_mutex;      // Thread mode: crypto_ret_q_mtx
  std::unique_ptr<CondVar> queue_cv;
  CryptoStats stats;

  void emit(TraceKind kind, std::uint64_t id, std::uint32_t arg2 = 0) {
    kernel.tracer().emit(machine.now(), machine.cpu_id(), kind, static_cast<std::uint32_t>(id),
                         arg2);
  }

  // Host side: the callback path of the resolved mode, once a driver is registered.
  void set_up_return_path() {
    if (mode == CryptoCallbackMode::Deferred && callback_work == nullptr) {
      callback_work = &kernel.establish_deferred(
          {"crypto_cb", DeferLevel::Net, false, true, [this] { drain_callbacks(); }});
    } else if (mode == CryptoCallbackMode::Thread && queue_cv == nullptr) {
      queue_mutex = std::make_unique<SpinMutex>(
          kernel, "crypto_ret_q", kernel.spl().device_level(kernel.config().crypto.priority));
      queue_cv = std::make_unique<CondVar>(kernel, "cryptoret");
      kernel.create_lwp({"cryptoret", Band::Kernel, kCryptoretPriority, false, 0, false, 0,
                         [this] { cryptoret(); }});
    }
  }

  // dispatch() and unblock(): hands `request` to the driver; false if it refused it.
  bool offer(CryptoRequest& request) {
    if (driver->process(request)) return true;
    ++stats.blocked;
    return false;
  }

  void park(CryptoRequest& request, bool front) {
    if (front)
      pending.push_front(&request);
    else
      pending.push_back(&request);
    if (pending.size() > stats.max_queued) stats.max_queued = pending.size();
  }

  // crypto_done, from the driver or from dispatch() for a request that cannot run.
  void complete(CryptoRequest& request) {
    emit(TraceKind::CryptoDone, request.id, static_cast<std::uint32_t>(request.error));
    ++stats.completed;
    if (request.error != CryptoError::None) ++stats.failed;
    machine.consume(kernel.costs().crypto_done);
    switch (mode) {
      case CryptoCallbackMode::Deferred:
        callbacks.push_back(&request);
        callback_work->schedule();
        return;
      case CryptoCallbackMode::Thread:
        queue_mutex->enter();
        callbacks.push_back(&request);
        queue_cv->signal();
        queue_mutex->exit();
        return;
      case CryptoCallbackMode::Default:  // resolved in attach(); never left Default
      case CryptoCallbackMode::Immediate:
        run_callback(request);
        return;
    }
  }

  // The continuation, in the caller's context; frees the request afterwards.
  void run_callback(CryptoRequest& request) {
    const std::uint64_t id = request.id;
    emit(TraceKind::CryptoCallback, id);
    ++stats.callbacks;
    if (request.callback) request.callback(request);
    in_flight.erase(id);
  }

  // crypto_cb (Deferred mode): every callback queued so far, in completion order.
  void drain_callbacks() {
    while (!callbacks.empty()) {
      CryptoRequest* request = callbacks.front();
      callbacks.pop_front();
      run_callback(*request);
    }
  }

  // The body of cryptoret (Thread mode), which never returns.
  void cryptoret() {
    queue_mutex->enter();
    for (;;) {
      while (callbacks.empty()) queue_cv->wait(*queue_mutex);  // see the design note
      CryptoRequest* request = callbacks.front();
      callbacks.pop_front();
      queue_mutex->exit();
      machine.consume(kernel.costs().cryptoret_item);
      run_callback(*request);
      queue_mutex->enter();
    }
  }
};

CryptoFramework::CryptoFramework(Kernel& kernel) : state_(std::make_unique<State>(kernel)) {}

CryptoFramework::~CryptoFramework() = default;

void CryptoFramework::attach() {
  State& s = *state_;
  const CryptoCallbackMode configured = s.kernel.config().crypto.callback;
  s.mode = configured == CryptoCallbackMode::Default
               ? s.kernel.personality().crypto_callback_default()
               : configured;
  if (s.mode == CryptoCallbackMode::Default)
    throw std::logic_error("personality " + std::string(s.kernel.personality().name()) +
                           ": crypto_callback_default() returned Default");
  s.attached = true;
  if (s.driver != nullptr) s.set_up_return_path();
}

void CryptoFramework::register_driver(CryptoDriver& driver) {
  State& s = *state_;
  if (s.driver != nullptr)
    throw std::logic_error("crypto framework: a driver is already registered");
  s.driver = &driver;
  if (s.attached) s.set_up_return_path();
}

bool CryptoFramework::has_driver() const { return state_->driver != nullptr; }

CryptoSessionId CryptoFramework::new_session(const CryptoKey& key) {
  State& s = *state_;
  if (s.driver == nullptr) throw std::logic_error("crypto_newsession: no crypto driver");
  const CryptoSessionId id = ++s.sessions;
  s.driver->new_session(id, key);
  return id;
}

void CryptoFramework::dispatch(std::unique_ptr<CryptoRequest> owned) {
  State& s = *state_;
  CryptoRequest& request = *owned;
  request.id = s.next_id++;
  request.error = CryptoError::None;
  s.in_flight.emplace(request.id, std::move(owned));
  s.emit(TraceKind::CryptoDispatch, request.id, static_cast<std::uint32_t>(request.data.size()));
  ++s.stats.dispatched;
  s.machine.consume(s.kernel.costs().crypto_dispatch);

  if (s.driver == nullptr || request.session == 0 || request.session > s.sessions)
    request.error = CryptoError::NoSession;
  else if (request.data.empty())
    request.error = CryptoError::BadLength;  // the engine's rule (LENGTH 0); never sent to it
  else if (request.data.size() > s.kernel.config().crypto.max_job_bytes)
    request.error = CryptoError::TooLong;
  if (request.error != CryptoError::None) return s.complete(request);

  if (!s.pending.empty() || !s.offer(request)) s.park(request, false);
}

void CryptoFramework::done(CryptoRequest& request) {
  if (!state_->in_flight.contains(request.id))
    state_->kernel.panic("crypto_done: request " + std::to_string(request.id) +
                         " is not in flight");
  state_->complete(request);
}

void CryptoFramework::unblock() {
  State& s = *state_;
  while (!s.pending.empty()) {
    CryptoRequest* request = s.pending.front();
    s.pending.pop_front();
    if (!s.offer(*request)) {
      s.park(*request, true);
      return;
    }
  }
}

CryptoCallbackMode CryptoFramework::mode() const { return state_->mode; }

CryptoStats CryptoFramework::stats() const { return state_->stats; }

}  // namespace irqlab::kernel
