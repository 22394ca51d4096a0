#pragma once
// The crypto framework, in the style of OCF / crypto(9) (research/rtl-anchors.md §3.3):
// consumers open a session with a key, fill a request (struct cryptop) and dispatch it;
// a registered driver queues it to its engine; the driver's completion calls done(),
// which runs the consumer's callback in the configured mode:
//
//   Immediate  in done()'s own context (CRYPTO_F_CBIMM): for a hardware driver that is
//              the completion interrupt's handler (hard interrupt, or the ithread where
//              the personality threads handlers);
//   Deferred   on neutral deferred work at level Net (personality/deferred.h): a Linux
//              tasklet-like softirq, a FreeBSD swi, a NetBSD softint, a 4.3BSD netisr;
//   Thread     queued to the "crypto returns" kernel thread (cryptoret), woken with
//              cv_signal under its queue mutex, as FreeBSD's CBIFSYNC default and
//              NetBSD's OCF shipped.
// CryptoCallbackMode::Default resolves to Personality::crypto_callback_default() when
// the kernel is built. The callback may not block in Immediate and Deferred mode.
//
// A request's bytes live in the request (crp_buf as one contiguous buffer): the driver
// copies them to and from the memory its engine reads (DMA), so consumers never see
// device addresses. The framework owns a request from dispatch() until its callback
// returns, then frees it.
//
// Trace: CryptoDispatch (arg: request id, arg2: length), CryptoDone (arg: request id,
// arg2: CryptoError), CryptoCallback (arg: request id; the continuation starts).
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "drivers/crypto/crypto_config.h"

namespace irqlab::kernel {

class Kernel;

using CryptoSessionId = std::uint32_t;
using CryptoKey = std::array<std::uint8_t, 32>;

// crp_etype: why a request failed (None: it did not). The engine's error codes map onto
// BadOpcode, BadLength and DmaFault (docs/rtl.md, crypto STATUS word).
enum class CryptoError : std::uint8_t {
  None = 0,
  BadOpcode = 1,
  BadLength = 2,
  DmaFault = 3,
  NoSession = 4,  // dispatch() with a session no driver opened
  TooLong = 5,    // longer than the driver's slot (CryptoConfig::max_job_bytes)
};
inline constexpr unsigned kCryptoErrorKinds = 6;  // None .. TooLong
const char* crypto_error_name(CryptoError error);

// One ChaCha20 request (RFC 8439): data XORed with the keystream of (session key,
// nonce, counter onwards), in place.
struct CryptoRequest {
  CryptoSessionId session = 0;
  std::vector<std::uint8_t> data;        // input; the output replaces it before the callback
  std::array<std::uint8_t, 12> nonce{};
  std::uint32_t counter = 0;             // block counter of data's first 64 bytes
  std::function<void(CryptoRequest&)> callback;  // crp_callback, run in the callback mode
  CryptoError error = CryptoError::None;         // set before the callback runs
  std::uint64_t id = 0;                  // set by dispatch(): unique, 1-based; the job's cookie
  std::uint32_t tag = 0;                 // the consumer's own (e.g. its packet id)
};

// A driver of a crypto engine (crypto(9) newsession / process).
class CryptoDriver {
 public:
  virtual ~CryptoDriver() = default;
  // Keeps `key` where the engine reads it for session `id`. Host side (attach) or thread
  // context.
  virtual void new_session(CryptoSessionId id, const CryptoKey& key) = 0;
  // Queues `request` to the engine and returns true, or returns false when the engine
  // cannot take it now (ring full): the framework keeps it queued and offers it again
  // after the driver calls CryptoFramework::unblock(). Interrupts may be on or off; may
  // not block. The request stays valid until the driver passes it to done().
  virtual bool process(CryptoRequest& request) = 0;
};

// What the framework did (any context may read it).
struct CryptoStats {
  std::uint64_t dispatched = 0;
  std::uint64_t completed = 0;      // done() calls
  std::uint64_t failed = 0;         // done() with an error
  std::uint64_t callbacks = 0;
  std::uint64_t blocked = 0;        // process() refused a request (ring full)
  std::uint64_t max_queued = 0;     // most requests waiting for the driver at once
};

class CryptoFramework {
 public:
  explicit CryptoFramework(Kernel& kernel);
  ~CryptoFramework();
  CryptoFramework(const CryptoFramework&) = delete;
  CryptoFramework& operator=(const CryptoFramework&) = delete;

  // Host side, from Kernel's constructor once the personality is attached (the default
  // mode is the personality's): resolves mode() and, with a driver registered, sets up
  // the return path (Deferred: the "crypto_cb" work; Thread: the cryptoret LWP).
  void attach();
  // Host side, from the driver's attach() (or later, before boot). One driver serves
  // every session.
  void register_driver(CryptoDriver& driver);
  bool has_driver() const;
  // crypto_newsession. Host side or thread context.
  CryptoSessionId new_session(const CryptoKey& key);
  // crypto_dispatch: hands `request` to the driver (or queues it while the driver is
  // blocked). Any context that may not block. A request that cannot run (no session, too
  // long) completes at once with its error, through the callback mode.
  void dispatch(std::unique_ptr<CryptoRequest> request);
  // crypto_done, from the driver's completion (hard interrupt or thread): `request` must
  // be one process() accepted; runs or queues its callback per mode().
  void done(CryptoRequest& request);
  // crypto_unblock, from the driver when it has room again: offers the queued requests.
  void unblock();

  CryptoCallbackMode mode() const;  // the resolved mode (never Default)
  CryptoStats stats() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace irqlab::kernel
