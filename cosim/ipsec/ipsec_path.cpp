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
                     models::net::EspExpectations* expectations)
    : nic_source_(nic_source),
      crypto_source_(crypto_source),
      expectations_(expectations),
      jobs_(crypto_source) {}

PacketPath& IpsecPath::held(std::uint32_t id) {
  while (first_packet_ + in_order_.size() <= id) in_order_.emplace_back();
  totals_.packets = std::max<std::uint64_t>(totals_.packets, id);
  PacketPath& p = packets_[id];
  p.id = id;
  return p;
}

bool IpsecPath::reduced(std::uint32_t id) const {
  if (id < first_packet_) return true;
  const std::size_t at = id - first_packet_;
  return at < in_order_.size() && in_order_[at].has_value();
}

const PacketPath* IpsecPath::packet(std::uint32_t id) const {
  const auto it = packets_.find(id);
  return it != packets_.end() ? &it->second : nullptr;
}

const PathLeg* IpsecPath::leg(std::size_t index) const {
  const auto it = legs_.find(index);
  return it != legs_.end() ? &it->second : nullptr;
}

std::size_t IpsecPath::log_entries_held() const {
  std::size_t n = 0;
  for (const auto& [cpu, log] : logs_) n += log.entries.size();
  return n;
}

void IpsecPath::set(PacketPath& p, PathPoint point, Cycle cycle) {
  std::optional<Cycle>& at = p.at[index(point)];
  if (!at) at = cycle;  // the first time: a re-run stage keeps its first cycle
}

void IpsecPath::append(unsigned cpu, const LogEntry& entry) { logs_[cpu].entries.push_back(entry); }

void IpsecPath::record(const kernel::TraceEvent& event) {
  jobs_.record(event);
  switch (event.kind) {
    case TraceKind::Switch:
    case TraceKind::TrapEnter:
    case TraceKind::Activity:
    case TraceKind::LockWait:
    case TraceKind::LockAcquire: {  // hart events: in cycle order per hart
      Cycle& latest = hart_cycle_[event.cpu];
      latest = std::max(latest, event.cycle);
      break;
    }
    default:
      break;
  }
  switch (event.kind) {
    case TraceKind::AnnounceLwp:
      if (event.arg2 != 0) current_[event.arg2 - 1] = event.arg;
      break;
    case TraceKind::Switch:
      append(event.cpu,
             {event.cycle,
              event.arg2 == static_cast<std::uint32_t>(kernel::SwitchKind::Light) ? LogKind::Light
                                                                                  : LogKind::Full,
              event.arg, current_[event.cpu]});
      current_[event.cpu] = event.arg;
      break;
    case TraceKind::TrapEnter:
      last_trap_[event.cpu] = {event.cycle, current_[event.cpu], logs_[event.cpu].end()};
      append(event.cpu, {event.cycle, LogKind::Trap, current_[event.cpu], current_[event.cpu]});
      break;
    case TraceKind::Claim:
      last_claim_[event.cpu] = event.cycle;
      break;
    case TraceKind::Activity:
      if (event.arg == static_cast<std::uint32_t>(kernel::CpuActivity::User))
        append(event.cpu,
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
    case TraceKind::FrameOffered:
      ++offered_;
      last_offered_sequence_ = std::max<std::uint64_t>(last_offered_sequence_, event.arg);
      awaiting_delivery_.push_back({event.arg, event.cycle});
      break;
    case TraceKind::FrameDropped:
      if (event.arg2 < nic_drops_.size()) ++nic_drops_[event.arg2];
      if (event.arg != 0) {
        std::erase_if(awaiting_delivery_, [&](const Offer& o) { return o.sequence == event.arg; });
        if (expectations_ != nullptr) expectations_->forget(event.arg);  // settled: not missing
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
      if (const auto it = building_.find(event.cpu);
          it != building_.end() && !reduced(it->second) && !awaiting_legs_.contains(it->second)) {
        packet_of_request_[event.arg] = it->second;
        held(it->second).request = event.arg;
      }
      break;
    case TraceKind::CryptoDone:
      on_crypto_done(event);
      break;
    case TraceKind::CryptoCallback:
      if (const auto it = packet_of_request_.find(event.arg); it != packet_of_request_.end()) {
        set(held(it->second), PathPoint::CryptoCallback, event.cycle);
        packet_of_request_.erase(it);  // the request's last event
      }
      break;
    case TraceKind::PacketDrop: {
      if (event.arg2 < drops_.size()) ++drops_[event.arg2];
      if (event.arg == 0 || reduced(event.arg)) break;  // none, or its outcome was settled
      if (const auto a = awaiting_legs_.find(event.arg); a != awaiting_legs_.end()) {
        a->second.dropped_at = event.cycle;  // as in its record: the latest drop
        break;
      }
      PacketPath& p = held(event.arg);
      p.drop = static_cast<kernel::NetDropCause>(event.arg2);
      p.dropped_at = event.cycle;
      settle_dropped(p);
      break;
    }
    case TraceKind::SocketRead:
      on_read(event);
      break;
    default:
      break;
  }
  if (++events_ % kFoldEveryEvents == 0) fold(false);
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
    leg.log_start = leg.scanned = trap->second.log_index;
  } else {
    // Claimed in a running trap: the hart takes it at the claim (metrics/latency_metrics.h).
    if (const auto claim = last_claim_.find(event.cpu);
        claim != last_claim_.end() && leg.t0 && claim->second >= *leg.t0)
      leg.t1 = claim->second;
    leg.log_start = leg.scanned = logs_[event.cpu].end();
  }
  if (const auto previous = last_leg_.find(event.arg); previous != last_leg_.end())
    held_leg(previous->second).superseded = true;
  last_leg_[event.arg] = next_leg_;
  legs_.emplace(next_leg_++, std::move(leg));
}

void IpsecPath::on_stage(const kernel::TraceEvent& event) {
  if (event.arg == 0 || reduced(event.arg)) return;  // none, or folded
  const auto stage = static_cast<PacketStage>(event.arg2);
  if (const auto a = awaiting_legs_.find(event.arg); a != awaiting_legs_.end()) {
    // Settled: only what its legs' closes read can still matter (a stage's first cycle).
    if (stage == PacketStage::CryptoSubmit && !a->second.crypto_submit)
      a->second.crypto_submit = event.cycle;
    if (stage == PacketStage::SocketQueued && !a->second.socket_queued)
      a->second.socket_queued = event.cycle;
    return;
  }
  PacketPath& p = held(event.arg);
  if (const std::optional<PathPoint> point = point_of(stage)) set(p, *point, event.cycle);
  switch (stage) {
    case PacketStage::EtherInput: {
      if (event.arg >= first_undelivered_packet_ &&
          event.arg - first_undelivered_packet_ < delivered_.size()) {
        const Offer& frame = delivered_[event.arg - first_undelivered_packet_];
        if (frame.sequence != 0) {
          p.sequence = frame.sequence;
          set(p, PathPoint::FrameOffered, frame.cycle);
        }
      }
      // Packets reach EtherInput in id order: the frames up to this one are done with.
      while (!delivered_.empty() && first_undelivered_packet_ <= event.arg) {
        delivered_.pop_front();
        ++first_undelivered_packet_;
      }
      const auto leg = last_leg_.find(nic_source_);
      if (leg == last_leg_.end() || p.nic_leg) break;
      PathLeg& l = held_leg(leg->second);
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
  PacketPath& p = held(it->second);
  set(p, PathPoint::CryptoDone, event.cycle);
  if (const std::optional<CryptoJob> job = jobs_.job_of(event.arg)) {
    set(p, PathPoint::JobStart, job->start);
    set(p, PathPoint::JobDone, job->done);
  }
  const auto leg = last_leg_.find(crypto_source_);
  if (leg == last_leg_.end() || p.crypto_leg) return;
  PathLeg& l = held_leg(leg->second);
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
  if (reduced(event.arg)) {  // folded: read or dropped before
    ++check_.duplicated;
    return;
  }
  if (const auto a = awaiting_legs_.find(event.arg); a != awaiting_legs_.end()) {
    if (a->second.read) {
      ++check_.duplicated;
    } else {  // dropped before: its frame's expectation is settled, so not this payload
      a->second.read = true;
      if (expectations_ != nullptr) ++check_.mismatched;
    }
    return;
  }
  PacketPath& p = held(event.arg);
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
  if (p.sequence) expectations_->forget(*p.sequence);  // settled: read
}

void IpsecPath::settle_dropped(const PacketPath& p) {
  if (expectations_ == nullptr || !p.sequence) return;
  const models::net::EspExpectation* expected = expectations_->find(*p.sequence);
  if (expected == nullptr) return;  // settled before
  if (expected->drop && p.drop == expected->drop) ++check_.bad_dropped;
  expectations_->forget(*p.sequence);
}

void IpsecPath::finish() {
  if (finished_) return;
  finished_ = true;
  fold(true);
  if (expectations_ == nullptr) return;
  // What is still held was offered (or is yet to be) and never read nor dropped.
  for (const auto& [sequence, expected] : expectations_->unsettled()) {
    if (sequence > last_offered_sequence_) break;
    if (!expected.drop) ++check_.missing;
  }
}

void IpsecPath::close(PathLeg& leg, bool at_end) {
  if (leg.final || (!at_end && !leg.superseded)) return;
  const bool crypto_leg = leg.source == crypto_source_;
  if (!at_end && crypto_leg && !receiver_lwp_) return;  // its end may be a switch to it
  // Not decided now but known never to close: empty, or left open at the end.
  const auto undecided = [&] { leg.final = at_end; };
  if (leg.packets.empty()) {  // no packet joined it, none will
    leg.final = true;
    return;
  }
  // The leg's work ends at the latest last stage of its packets; one not there yet: open.
  Cycle last = 0;
  for (const std::uint32_t id : leg.packets) {
    // A packet of a leg not final is not reduced: held whole, or awaiting its legs.
    const auto record = packets_.find(id);
    const std::optional<Cycle> packet_end = record != packets_.end()
                                                ? leg_end(awaiting_legs(record->second), crypto_leg)
                                                : leg_end(awaiting_legs_.at(id), crypto_leg);
    if (!packet_end) return undecided();
    last = std::max(last, *packet_end);
  }
  // The end: the first entry at or after `last` where U runs again (switched to, or back in
  // user mode), or, for the crypto leg, a switch to the receiver; found from `scanned` on,
  // or among the switches seen before should the receiver be one of them.
  std::erase_if(leg.switches_seen, [&](const auto& seen) { return seen.second.cycle < last; });
  const Log& entries = logs_[leg.cpu];
  const std::uint32_t u = leg.interrupted_lwp;
  const auto count = [](SwitchTally& tally, LogKind kind) {
    tally.full += kind == LogKind::Full ? 1 : 0;
    tally.light += kind == LogKind::Light ? 1 : 0;
    tally.interrupt += kind == LogKind::Trap ? 1 : 0;
  };
  struct End {
    Cycle cycle;
    bool wake_up_only;  // U switched to the receiver: the receiver's wake-up, not the path's
    LogKind kind;
    SwitchTally before;  // the counts of the entries before it
  };
  std::optional<End> end;
  if (const auto seen = crypto_leg && receiver_lwp_ ? leg.switches_seen.find(*receiver_lwp_)
                                                    : leg.switches_seen.end();
      seen != leg.switches_seen.end()) {
    const PathLeg::SwitchSeen& e = seen->second;
    end = End{e.cycle, e.from == u, e.light ? LogKind::Light : LogKind::Full, e.before};
  }
  for (; leg.scanned < entries.end() && !end; ++leg.scanned) {
    const LogEntry& e = entries.at(leg.scanned);
    const bool switch_to = e.kind == LogKind::Full || e.kind == LogKind::Light;
    if (e.cycle >= last &&
        ((e.lwp == u && (switch_to || e.kind == LogKind::UserMode)) ||
         (crypto_leg && switch_to && receiver_lwp_ && e.lwp == *receiver_lwp_))) {
      end = End{e.cycle, e.lwp != u && e.from == u, e.kind, leg.counted};
      break;  // `scanned` stays on it: it is counted once the close is decided
    }
    if (crypto_leg && switch_to && e.cycle >= last)
      leg.switches_seen.try_emplace(
          e.lwp,
          PathLeg::SwitchSeen{leg.scanned, e.cycle, e.from, e.kind == LogKind::Light, leg.counted});
    count(leg.counted, e.kind);
  }
  if (!end) return undecided();
  const Cycle t5 = end->cycle;
  if (!at_end) {
    // Its blocked cycles are known once its CPU is past T5 and no wait begun by then is open.
    if (hart_cycle_[leg.cpu] <= t5) return;
    for (const auto& [key, wait] : waiting_)
      if (wait.second == leg.cpu && wait.first <= t5) return;
  }
  leg.t5 = t5;
  leg.final = true;
  leg.tally = end->before;
  if (!end->wake_up_only) count(leg.tally, end->kind);
  leg.switches_seen.clear();
  const Cycle from = leg.t1.value_or(leg.t2);
  for (const Blocked& b : blocked_[leg.cpu])
    if (b.from >= from && b.from <= *leg.t5) leg.tally.blocked += b.to - b.from;
}

void IpsecPath::fold(bool at_end) {
  for (auto& [i, l] : legs_) close(l, at_end);
  if (at_end) {  // everything, the terms in id order; the records stay readable
    for (std::size_t at = 0; at < in_order_.size(); ++at) {
      const std::uint32_t id = first_packet_ + static_cast<std::uint32_t>(at);
      if (const auto record = packets_.find(id); !in_order_[at] && record != packets_.end())
        in_order_[at] = reduce(record->second);
      if (const auto a = awaiting_legs_.find(id); !in_order_[at] && a != awaiting_legs_.end())
        in_order_[at] = reduce_legs(a->second);
      if (in_order_[at]) add_terms(*in_order_[at]);
    }
    for (const auto& [i, l] : legs_) fold_leg(l);
    return;
  }
  const auto legs_final = [&](const auto& p) {
    for (const std::optional<std::size_t> index : {p.nic_leg, p.crypto_leg})
      if (index && !held_leg(*index).final) return false;
    return true;
  };
  for (auto it = awaiting_legs_.begin(); it != awaiting_legs_.end();) {
    if (!legs_final(it->second)) {
      ++it;
      continue;
    }
    in_order_[it->first - first_packet_] = reduce_legs(it->second);
    it = awaiting_legs_.erase(it);
  }
  for (auto it = packets_.begin(); it != packets_.end();) {
    const PacketPath& p = it->second;
    const bool settled = p.at[index(PathPoint::UserRead)] || p.drop;
    if (!settled) {
      ++it;
      continue;
    }
    if (legs_final(p)) {
      in_order_[p.id - first_packet_] = reduce(p);
    } else {  // all but its legs' part now: what is left is a few cycles
      reduce_points(p);
      awaiting_legs_.emplace(p.id, awaiting_legs(p));
    }
    if (p.request) packet_of_request_.erase(*p.request);
    it = packets_.erase(it);
  }
  add_terms_in_order();
  std::erase_if(legs_, [&](const auto& entry) {
    const PathLeg& l = entry.second;
    if (!l.final || !std::ranges::all_of(l.packets, [&](std::uint32_t id) { return reduced(id); }))
      return false;
    fold_leg(l);
    return true;
  });
  trim_logs();
}

IpsecPath::PacketTerms IpsecPath::reduce(const PacketPath& p) {
  reduce_points(p);
  return reduce_legs(awaiting_legs(p));
}

PacketAwaitingLegs IpsecPath::awaiting_legs(const PacketPath& p) {
  return {p.nic_leg,
          p.crypto_leg,
          p.at[index(PathPoint::CryptoSubmit)],
          p.at[index(PathPoint::SocketQueued)],
          p.dropped_at,
          p.at[index(PathPoint::UserRead)].has_value()};
}

std::optional<Cycle> IpsecPath::leg_end(const PacketAwaitingLegs& p, bool crypto_leg) {
  if (const std::optional<Cycle> stage = crypto_leg ? p.socket_queued : p.crypto_submit)
    return stage;
  if (p.dropped_at && (crypto_leg || !p.crypto_submit)) return p.dropped_at;  // dropped in it
  return std::nullopt;
}

void IpsecPath::reduce_points(const PacketPath& p) {
  const auto at = [&](PathPoint point) { return p.at[index(point)]; };
  const auto span = [](CycleHistogram& h, std::optional<Cycle> from, std::optional<Cycle> to) {
    if (from && to && *to >= *from) h.add(*to - *from);
  };
  for (const std::optional<std::size_t> index : {p.nic_leg, p.crypto_leg}) {
    if (!index) continue;
    PathLeg& l = held_leg(*index);
    if (l.packets.front() != p.id) continue;
    l.first_t3 = at(l.source == crypto_source_ ? PathPoint::CryptoCallback : PathPoint::EtherInput);
    l.first_read = at(PathPoint::UserRead);
  }
  if (p.reads > 0)
    for (std::size_t i = 0; i < kPathPoints; ++i)
      span(totals_.from_mac[i], at(PathPoint::FrameOffered), p.at[i]);
}

IpsecPath::PacketTerms IpsecPath::reduce_legs(const PacketAwaitingLegs& p) {
  const PathLeg* nic = p.nic_leg ? leg(*p.nic_leg) : nullptr;
  const PathLeg* crypto = p.crypto_leg ? leg(*p.crypto_leg) : nullptr;
  const bool whole = nic != nullptr && nic->t5 && crypto != nullptr && crypto->t5;
  totals_.complete_paths += whole ? 1 : 0;
  PacketTerms terms;
  if (whole && p.read) {
    terms.counted = true;
    const auto shares = [&](std::size_t leg_index, std::array<double, 4>& out) {
      const PathLeg& l = held_leg(leg_index);
      const double share = 1.0 / static_cast<double>(l.packets.size());
      out = {share * static_cast<double>(l.tally.full), share * static_cast<double>(l.tally.light),
             share * static_cast<double>(l.tally.interrupt),
             share * static_cast<double>(l.tally.blocked)};
    };
    shares(*p.nic_leg, terms.nic);
    shares(*p.crypto_leg, terms.crypto);
  }
  return terms;
}

void IpsecPath::add_terms_in_order() {
  while (!in_order_.empty() && in_order_.front()) {
    add_terms(*in_order_.front());
    in_order_.pop_front();
    ++first_packet_;
  }
}

void IpsecPath::add_terms(const PacketTerms& terms) {
  if (!terms.counted) return;
  PerPacketSums& m = totals_.per_packet;
  ++m.packets;
  for (const std::array<double, 4>* leg : {&terms.nic, &terms.crypto}) {
    m.full += (*leg)[0];
    m.light += (*leg)[1];
    m.interrupt += (*leg)[2];
    m.blocked += (*leg)[3];
  }
}

void IpsecPath::fold_leg(const PathLeg& l) {
  if (l.packets.empty()) return;
  const auto span = [](CycleHistogram& h, std::optional<Cycle> from, std::optional<Cycle> to) {
    if (from && to && *to >= *from) h.add(*to - *from);
  };
  const bool crypto = l.source == crypto_source_;
  LegTimes& t = crypto ? totals_.crypto : totals_.nic;
  ++t.legs;
  span(t.t1, l.t0, l.t1);
  span(t.t2, l.t0, l.t2);
  span(t.t3, l.t0, l.first_t3);
  if (crypto) span(t.t4, l.t0, l.first_read);
  span(t.t5, l.t0, l.t5);
  if (l.t5) {
    ++t.closed;
    t.tally += l.tally;
  }
}

void IpsecPath::trim_logs() {
  for (auto& [cpu, log] : logs_) {
    // What a leg not decided yet, or one still to start (from the latest trap), may read.
    std::size_t keep_log = log.end();
    Cycle keep_blocked = hart_cycle_[cpu];
    if (const auto trap = last_trap_.find(cpu); trap != last_trap_.end()) {
      keep_log = std::min(keep_log, trap->second.log_index);
      keep_blocked = std::min(keep_blocked, trap->second.cycle);
    }
    if (const auto claim = last_claim_.find(cpu); claim != last_claim_.end())
      keep_blocked = std::min(keep_blocked, claim->second);
    for (const auto& [i, l] : legs_) {
      if (l.final || l.cpu != cpu) continue;
      keep_log = std::min(keep_log, l.scanned);
      keep_blocked = std::min(keep_blocked, l.t1.value_or(l.t2));
    }
    while (log.first < keep_log) {
      log.entries.pop_front();
      ++log.first;
    }
    std::erase_if(blocked_[cpu], [&](const Blocked& b) { return b.from < keep_blocked; });
  }
}

SwitchTally IpsecPath::tally(const PacketPath& packet) const {
  SwitchTally t;
  for (const std::optional<std::size_t> index : {packet.nic_leg, packet.crypto_leg})
    if (const PathLeg* l = index ? leg(*index) : nullptr; l != nullptr) t += l->tally;
  return t;
}

bool IpsecPath::complete(const PacketPath& packet) const {
  const PathLeg* nic = packet.nic_leg ? leg(*packet.nic_leg) : nullptr;
  const PathLeg* crypto = packet.crypto_leg ? leg(*packet.crypto_leg) : nullptr;
  return nic != nullptr && nic->t5 && crypto != nullptr && crypto->t5;
}

}  // namespace irqlab::cosim
