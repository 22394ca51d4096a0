#pragma once
// The crypto engine's figures (results.json `crypto`), from the run's one event stream:
// the RTL's CryptoJobStart / CryptoJobDone pulses (the engine's own view of each job),
// the framework's CryptoDispatch / CryptoDone / CryptoCallback and the engine's PLIC
// source (GatewayRequest, HandlerStart).
//
// Pairing, and why it is sound:
// - a job's start and done carry its ring index; the engine runs one job at a time, so a
//   done pairs with the oldest started job of the same index;
// - the engine works through the ring in order and the driver completes (CryptoDone) in
//   ring order, so the k-th retired job belongs to the k-th request completed with an
//   engine outcome (no error, BadOpcode, BadLength, DmaFault). Requests the framework fails
//   itself (NoSession, TooLong) never reached the engine and take no job.
//
// Memory: what is in flight only (requests dispatched and not completed, jobs started and
// not done or not yet paired), and the job of the request completed last; a long run holds
// no per-request record.
//
// Called through a Tracer only (the simulator's one thread).
#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>

#include "crypto/ocf.h"
#include "metrics/histogram.h"
#include "trace/trace.h"

namespace irqlab::cosim {

using kernel::Cycle;

struct CryptoJob {
  std::uint32_t ring_index = 0;
  Cycle start = 0;  // CryptoJobStart: the descriptor fetch begins
  Cycle done = 0;   // CryptoJobDone: the status write-back retired
};

class CryptoJobs : public kernel::TraceSink {
 public:
  static constexpr unsigned kErrorKinds = kernel::kCryptoErrorKinds;

  // `source`: the engine's PLIC source.
  explicit CryptoJobs(unsigned source) : source_(source) {}

  void record(const kernel::TraceEvent& event) override;

  // The job that ran request `request` if it is the request completed last (what the
  // IPsec path asks right after its CryptoDone); none for a request failed by the
  // framework, not completed yet, or completed before the last one.
  std::optional<CryptoJob> job_of(std::uint64_t request) const;

  std::uint64_t dispatched() const { return dispatched_; }
  std::uint64_t jobs_started() const { return started_; }
  std::uint64_t jobs_done() const { return done_; }
  std::uint64_t completed() const { return completed_; }  // CryptoDone, any outcome
  std::uint64_t callbacks() const { return callbacks_; }
  // CryptoDone outcomes, indexed by CryptoError.
  const std::array<std::uint64_t, kErrorKinds>& outcomes() const { return outcomes_; }
  std::uint64_t requests() const { return requests_; }      // the gateway took the engine's line
  std::uint64_t interrupts() const { return interrupts_; }  // its handler starts
  // CryptoJobDone - CryptoJobStart per job; and per 64-byte block of the request's data,
  // for jobs whose request is known (cycles / ceil(length / 64)).
  const CycleHistogram& cycles_per_job() const { return cycles_per_job_; }
  const CycleHistogram& cycles_per_block() const { return cycles_per_block_; }
  // Jobs in flight in the engine at the end (started, not done).
  std::uint64_t in_engine() const;

 private:
  void on_done(const kernel::TraceEvent& event);

  unsigned source_;
  std::uint64_t dispatched_ = 0;
  std::uint64_t started_ = 0;
  std::uint64_t done_ = 0;
  std::uint64_t completed_ = 0;
  std::uint64_t callbacks_ = 0;
  std::uint64_t requests_ = 0;
  std::uint64_t interrupts_ = 0;
  std::array<std::uint64_t, kErrorKinds> outcomes_{};
  std::map<std::uint32_t, std::deque<Cycle>> running_;  // ring index -> job starts not done
  std::deque<CryptoJob> retired_;                       // done, not yet matched to a request
  struct CompletedJob {
    std::uint64_t request;
    CryptoJob job;
  };
  std::optional<CompletedJob> last_completed_;                // the latest request's job
  std::map<std::uint64_t, std::uint32_t> length_of_request_;  // dispatched, not completed
  CycleHistogram cycles_per_job_;
  CycleHistogram cycles_per_block_;
};

}  // namespace irqlab::cosim
