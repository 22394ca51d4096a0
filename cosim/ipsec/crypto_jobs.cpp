#include "ipsec/crypto_jobs.h"

namespace irqlab::cosim {

namespace {

using kernel::CryptoError;

// The engine ran the request (with or without an error of its own).
bool engine_outcome(CryptoError error) {
  return error == CryptoError::None || error == CryptoError::BadOpcode ||
         error == CryptoError::BadLength || error == CryptoError::DmaFault;
}

constexpr std::uint64_t kBlockBytes = 64;

}  // namespace

void CryptoJobs::record(const kernel::TraceEvent& event) {
  using kernel::TraceKind;
  switch (event.kind) {
    case TraceKind::CryptoDispatch:
      ++dispatched_;
      length_of_request_[event.arg] = event.arg2;
      break;
    case TraceKind::CryptoJobStart:
      ++started_;
      running_[event.arg].push_back(event.cycle);
      break;
    case TraceKind::CryptoJobDone: {
      ++done_;
      auto it = running_.find(event.arg);
      if (it == running_.end() || it->second.empty())
        break;  // started before the stream: not timed
      const CryptoJob job{event.arg, it->second.front(), event.cycle};
      it->second.pop_front();
      cycles_per_job_.add(job.done - job.start);
      retired_.push_back(job);
      break;
    }
    case TraceKind::CryptoDone:
      on_done(event);
      break;
    case TraceKind::CryptoCallback:
      ++callbacks_;
      break;
    case TraceKind::GatewayRequest:
      if (event.arg == source_) ++requests_;
      break;
    case TraceKind::HandlerStart:
      if (event.arg == source_) ++interrupts_;
      break;
    default:
      break;
  }
}

void CryptoJobs::on_done(const kernel::TraceEvent& event) {
  ++completed_;
  last_completed_.reset();
  const auto length = length_of_request_.find(event.arg);
  const std::uint32_t bytes = length != length_of_request_.end() ? length->second : 0;
  if (length != length_of_request_.end()) length_of_request_.erase(length);
  const auto error = static_cast<CryptoError>(event.arg2);
  if (event.arg2 < outcomes_.size()) ++outcomes_[event.arg2];
  if (!engine_outcome(error) || retired_.empty()) return;
  const CryptoJob job = retired_.front();
  retired_.pop_front();
  last_completed_ = CompletedJob{event.arg, job};
  if (bytes > 0) {
    const std::uint64_t blocks = (bytes + kBlockBytes - 1) / kBlockBytes;
    cycles_per_block_.add((job.done - job.start) / blocks);
  }
}

std::optional<CryptoJob> CryptoJobs::job_of(std::uint64_t request) const {
  if (!last_completed_ || last_completed_->request != request) return std::nullopt;
  return last_completed_->job;
}

std::uint64_t CryptoJobs::in_engine() const {
  std::uint64_t n = 0;
  for (const auto& [index, starts] : running_) n += starts.size();
  return n;
}

}  // namespace irqlab::cosim
