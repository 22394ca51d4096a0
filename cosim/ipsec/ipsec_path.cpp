#include "ipsec/ipsec_path.h"

#include <algorithm>

namespace irqlab::cosim {

namespace {

using kernel::PacketStage;
using kernel::TraceKind;

constexpr std::array<const char*, kPathPoints> kPointNames{
    "frame_offered", "nic_t0",     "nic_t1",        "nic_t2",        "ether_input",
    "ip_input",      "esp_input",  "crypto_submit", "job_start",     "job_done",
    "crypto_t0",     "crypto_t1",  "crypto_t2",     "crypto_done",   "crypto_callback",
    "esp_callback",  "ip_reinput", "udp_input",     "socket_queued", "user_read"};

std::optional<PathPoint> point_of(PacketStage stage) {
  switch (stage) {
    case PacketStage::EtherInput:
      return PathPoint::EtherInput;
    case PacketStage::IpInput:
      return PathPoint::IpInput;
    case PacketStage::EspInput:
      return PathPoint::EspInput;
    case PacketStage::CryptoSubmit:
      return PathPoint::CryptoSubmit;
    case PacketStage::EspCallback:
      return PathPoint::EspCallback;
    case PacketStage::IpReinput:
      return PathPoint::IpReinput;
    case PacketStage::UdpInput:
      return PathPoint::UdpInput;
    case PacketStage::SocketQueued:
      return PathPoint::SocketQueued;
    case PacketStage::UserRead:
      return PathPoint::UserRead;
  }
  return std::nullopt;
}

std::size_t index(PathPoint point) { return static_cast<std::size_t>(point); }

}  // namespace

const char* path_point_name(PathPoint point) { return kPointNames[index(point)]; }

SwitchTally& SwitchTally::operator+=(const SwitchTally& o) {
  full += o.full;
  light += o.light;
  interrupt += o.interrupt;
  blocked += o.blocked;
  return *this;
}

IpsecPath::IpsecPath(unsigned nic_source, unsigned crypto_source,
                     const models::net::EspExpectations* expectations)
    : nic_source_(nic_source),
      crypto_source_(crypto_source),
      expectations_(expectations),
      jobs_(crypto_source) {}

PacketPath& IpsecPath::packet(std::uint32_t id) {
  if (packets_.size() < id) {
    const std::size_t from = packets_.size();
    packets_.resize(id);
    for (std::size_t i = from; i < id; ++i) packets_[i].id = static_cast<std::uint32_t>(i + 1);
  }
  return packets_[id - 1];
}

void IpsecPath::set(PacketPath& p, PathPoint point, Cycle cycle) {
  std::optional<Cycle>& at = p.at[index(point)];
  if (!at) at = cycle;  // the first time: a re-run stage keeps its first cycle
}

std::vector<IpsecPath::LogEntry>& IpsecPath::log(unsigned cpu) { return logs_[cpu]; }

void IpsecPath::record(const kernel::TraceEvent& event) {
  jobs_.record(event);
  switch (event.kind) {
    case TraceKind::AnnounceLwp:
      if (event.arg2 != 0) current_[event.arg2 - 1] = event.arg;
      break;
    case TraceKind::Switch:
      log(event.cpu).push_back({event.cycle,
                                event.arg2 == static_cast<std::uint32_t>(kernel::SwitchKind::Light)
                                    ? LogKind::Light
                                    : LogKind::Full,
                                event.arg, current_[event.cpu]});
      current_[event.cpu] = event.arg;
      break;
    case TraceKind::TrapEnter:
      last_trap_[event.cpu] = {event.cycle, current_[event.cpu], log(event.cpu).size()};
      log(event.cpu).push_back(
          {event.cycle, LogKind::Trap, current_[event.cpu], current_[event.cpu]});
      break;
    case TraceKind::Claim:
      last_claim_[event.cpu] = event.cycle;
      break;
    case TraceKind::Activity:
      if (event.arg == static_cast<std::uint32_t>(kernel::CpuActivity::User))
        log(event.cpu).push_back(
            {event.cycle, LogKind::UserMode, current_[event.cpu], current_[event.cpu]});
      break;
    case TraceKind::LockWait:
      waiting_[{event.arg, event.arg2}] = {event.cycle, event.cpu};
      break;
    case TraceKind::LockAcquire:
      if (const auto it = waiting_.find({event.arg, event.arg2}); it != waiting_.end()) {
        blocked_[it->second.second].push_back({it->second.first, event.cycle});
        waiting_.erase(it);
      }
      break;
    case TraceKind::GatewayRequest:
      if (event.arg == nic_source_ || event.arg == crypto_source_)
        open_requests_[event.arg].push_back(event.cycle);
      break;
    case TraceKind::HandlerStart:
      if (event.arg == nic_source_ || event.arg == crypto_source_) on_handler_start(event);
      break;
    case TraceKind::FrameOffered: {
      const Offer offer{event.arg, event.cycle};
      offered_.push_back(offer);
      awaiting_delivery_.push_back(offer);
      break;
    }
    case TraceKind::FrameDropped:
      if (event.arg2 < nic_drops_.size()) ++nic_drops_[event.arg2];
      if (event.arg != 0) {
        std::erase_if(awaiting_delivery_, [&](const Offer& o) { return o.sequence == event.arg; });
        nic_dropped_[event.arg] = true;
      }
      break;
    case TraceKind::PacketDelivered:
      if (awaiting_delivery_.empty()) {
        delivered_.push_back({0, event.cycle});  // no frame to match: no sequence
      } else {
        delivered_.push_back(awaiting_delivery_.front());
        awaiting_delivery_.pop_front();
      }
      break;
    case TraceKind::PacketStage:
      on_stage(event);
      break;
    case TraceKind::CryptoDispatch:
      if (const auto it = building_.find(event.cpu); it != building_.end()) {
        packet_of_request_[event.arg] = it->second;
        packet(it->second).request = event.arg;
      }
      break;
    case TraceKind::CryptoDone:
      on_crypto_done(event);
      break;
    case TraceKind::CryptoCallback:
      if (const auto it = packet_of_request_.find(event.arg); it != packet_of_request_.end())
        set(packet(it->second), PathPoint::CryptoCallback, event.cycle);
      break;
    case TraceKind::PacketDrop: {
      if (event.arg2 < drops_.size()) ++drops_[event.arg2];
      if (event.arg == 0) break;
      PacketPath& p = packet(event.arg);
      p.drop = static_cast<kernel::NetDropCause>(event.arg2);
      p.dropped_at = event.cycle;
      break;
    }
    case TraceKind::SocketRead:
      on_read(event);
      break;
    default:
      break;
  }
}

void IpsecPath::on_handler_start(const kernel::TraceEvent& event) {
  PathLeg leg;
  leg.source = event.arg;
  leg.cpu = event.cpu;
  leg.t2 = event.cycle;
  std::deque<Cycle>& requests = open_requests_[event.arg];
  if (!requests.empty()) {
    leg.t0 = requests.front();
    requests.pop_front();
  }
  const auto trap = last_trap_.find(event.cpu);
  leg.interrupted_lwp = trap != last_trap_.end() ? trap->second.lwp : current_[event.cpu];
  if (trap != last_trap_.end() && leg.t0 && trap->second.cycle >= *leg.t0) {
    leg.t1 = trap->second.cycle;
    leg.log_start = trap->second.log_index;
  } else {
    // Claimed in a running trap: the hart takes it at the claim (metrics/latency_metrics.h).
    if (const auto claim = last_claim_.find(event.cpu);
        claim != last_claim_.end() && leg.t0 && claim->second >= *leg.t0)
      leg.t1 = claim->second;
    leg.log_start = log(event.cpu).size();
  }
  last_leg_[event.arg] = legs_.size();
  legs_.push_back(std::move(leg));
}

void IpsecPath::on_stage(const kernel::TraceEvent& event) {
  if (event.arg == 0) return;
  const auto stage = static_cast<PacketStage>(event.arg2);
  PacketPath& p = packet(event.arg);
  if (const std::optional<PathPoint> point = point_of(stage)) set(p, *point, event.cycle);
  switch (stage) {
    case PacketStage::EtherInput: {
      if (event.arg <= delivered_.size() && delivered_[event.arg - 1].sequence != 0) {
        p.sequence = delivered_[event.arg - 1].sequence;
        set(p, PathPoint::FrameOffered, delivered_[event.arg - 1].cycle);
      }
      const auto leg = last_leg_.find(nic_source_);
      if (leg == last_leg_.end() || p.nic_leg) break;
      PathLeg& l = legs_[leg->second];
      p.nic_leg = leg->second;
      l.packets.push_back(p.id);
      if (l.t0) set(p, PathPoint::NicT0, *l.t0);
      if (l.t1) set(p, PathPoint::NicT1, *l.t1);
      set(p, PathPoint::NicT2, l.t2);
      break;
    }
    case PacketStage::EspInput:
      building_[event.cpu] = event.arg;
      break;
    case PacketStage::CryptoSubmit:
      building_.erase(event.cpu);
      break;
    default:
      break;
  }
}

void IpsecPath::on_crypto_done(const kernel::TraceEvent& event) {
  const auto it = packet_of_request_.find(event.arg);
  if (it == packet_of_request_.end()) return;
  PacketPath& p = packet(it->second);
  set(p, PathPoint::CryptoDone, event.cycle);
  if (const std::optional<CryptoJob> job = jobs_.job_of(event.arg)) {
    set(p, PathPoint::JobStart, job->start);
    set(p, PathPoint::JobDone, job->done);
  }
  const auto leg = last_leg_.find(crypto_source_);
  if (leg == last_leg_.end() || p.crypto_leg) return;
  PathLeg& l = legs_[leg->second];
  p.crypto_leg = leg->second;
  l.packets.push_back(p.id);
  if (l.t0) set(p, PathPoint::CryptoT0, *l.t0);
  if (l.t1) set(p, PathPoint::CryptoT1, *l.t1);
  set(p, PathPoint::CryptoT2, l.t2);
}

void IpsecPath::on_read(const kernel::TraceEvent& event) {
  receiver_lwp_ = current_[event.cpu];
  ++reads_;
  if (event.arg == 0) return;
  PacketPath& p = packet(event.arg);
  if (++p.reads > 1) {
    ++check_.duplicated;
    return;
  }
  if (expectations_ == nullptr) return;
  const models::net::EspExpectation* expected =
      p.sequence ? expectations_->find(*p.sequence) : nullptr;
  if (expected != nullptr && !expected->drop && std::ranges::equal(expected->payload, event.data)) {
    ++check_.delivered;
  } else {
    ++check_.mismatched;
  }
}

void IpsecPath::finish() {
  if (finished_) return;
  finished_ = true;
  for (std::size_t i = 0; i < legs_.size(); ++i) close(legs_[i], legs_[i].source == crypto_source_);
  if (expectations_ == nullptr) return;
  std::map<std::uint64_t, const PacketPath*> packet_of_sequence;
  for (const PacketPath& p : packets_)
    if (p.sequence) packet_of_sequence[*p.sequence] = &p;
  for (const Offer& offer : offered_) {
    const models::net::EspExpectation* expected = expectations_->find(offer.sequence);
    const bool deliverable = expected != nullptr && !expected->drop;
    const auto it = packet_of_sequence.find(offer.sequence);
    const PacketPath* p = it != packet_of_sequence.end() ? it->second : nullptr;
    const bool dropped = nic_dropped_.contains(offer.sequence) || (p != nullptr && p->drop);
    if (deliverable && (p == nullptr || p->reads == 0) && !dropped) ++check_.missing;
    if (expected != nullptr && expected->drop && p != nullptr && p->drop == expected->drop)
      ++check_.bad_dropped;
  }
}

void IpsecPath::close(PathLeg& leg, bool crypto_leg) {
  if (leg.packets.empty()) return;
  // The leg's work ends at the latest last stage of its packets; one not there yet: open.
  Cycle last = 0;
  for (const std::uint32_t id : leg.packets) {
    const PacketPath& p = packets_[id - 1];
    const std::optional<Cycle> stage =
        p.at[index(crypto_leg ? PathPoint::SocketQueued : PathPoint::CryptoSubmit)];
    const bool dropped_here = p.dropped_at && (crypto_leg || !p.at[index(PathPoint::CryptoSubmit)]);
    if (stage) {
      last = std::max(last, *stage);
    } else if (dropped_here) {
      last = std::max(last, *p.dropped_at);
    } else {
      return;
    }
  }
  const std::vector<LogEntry>& entries = log(leg.cpu);
  const std::uint32_t u = leg.interrupted_lwp;
  std::optional<std::size_t> end;
  for (std::size_t i = leg.log_start; i < entries.size() && !end; ++i) {
    const LogEntry& e = entries[i];
    if (e.cycle < last) continue;
    const bool switch_to = e.kind == LogKind::Full || e.kind == LogKind::Light;
    if ((e.lwp == u && (switch_to || e.kind == LogKind::UserMode)) ||
        (crypto_leg && switch_to && receiver_lwp_ && e.lwp == *receiver_lwp_))
      end = i;
  }
  if (!end) return;
  leg.t5 = entries[*end].cycle;
  // U switched to the receiver: the receiver's wake-up, not the path's.
  const bool wake_up_only = entries[*end].lwp != u && entries[*end].from == u;
  for (std::size_t i = leg.log_start; i < *end + (wake_up_only ? 0 : 1); ++i) {
    switch (entries[i].kind) {
      case LogKind::Full:
        ++leg.tally.full;
        break;
      case LogKind::Light:
        ++leg.tally.light;
        break;
      case LogKind::Trap:
        ++leg.tally.interrupt;
        break;
      case LogKind::UserMode:
        break;
    }
  }
  const Cycle from = leg.t1.value_or(leg.t2);
  for (const Blocked& b : blocked_[leg.cpu])
    if (b.from >= from && b.from <= *leg.t5) leg.tally.blocked += b.to - b.from;
}

SwitchTally IpsecPath::tally(const PacketPath& packet) const {
  SwitchTally t;
  if (packet.nic_leg) t += legs_[*packet.nic_leg].tally;
  if (packet.crypto_leg) t += legs_[*packet.crypto_leg].tally;
  return t;
}

bool IpsecPath::complete(const PacketPath& packet) const {
  return packet.nic_leg && legs_[*packet.nic_leg].t5 && packet.crypto_leg &&
         legs_[*packet.crypto_leg].t5;
}

}  // namespace irqlab::cosim
