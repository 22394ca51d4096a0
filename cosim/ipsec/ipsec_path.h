#pragma once
// The IPsec receive path of each packet (research/kernel-semantics.md §6), taken from the
// run's one event stream, for results.json's `ipsec` block (docs/results-schema.md
// defines every figure; this comment says how they are found).
//
// Identity. Packet ids are 1-based in ether_input order (kernel/net). The driver hands
// frames to ether_input in the order it delivers them (PacketDelivered) and the NIC
// delivers in the order its MAC received them, so packet p is the p-th offered frame
// that the NIC did not drop (the NIC's sink, nic/nic_traffic.h, argues the same order);
// this gives each packet its FrameOffered cycle and wire sequence number. Its crypto
// request is the CryptoDispatch on the CPU between its EspInput and CryptoSubmit stages;
// the job that ran it comes from ipsec/crypto_jobs.h.
//
// Legs. Each NIC or crypto-engine interrupt (a HandlerStart of that source) opens a leg
// on the CPU that took it: T0 the gateway request it serves (requests and handler starts
// pair in order per source), T1 the trap entry of that CPU if it came at or after T0
// (else the request was claimed in a running trap: T1 is the claim that took it), T2 the
// handler start, and the LWP the trap interrupted (U). A packet belongs to the NIC leg of
// the last NIC interrupt whose handler started before its EtherInput, and to the crypto
// leg of the last engine interrupt whose handler started before its CryptoDone. A leg's
// work ends at its last stage: CryptoSubmit for the NIC leg, SocketQueued for the crypto
// leg, or the packet's drop if it is dropped in that leg (the latest over the leg's packets).
//
// Switch counts (research §6's assumptions: counted until U resumes, the receiver's
// final wake-up left out). On the leg's CPU, from its trap entry (or its handler start
// when claimed in a running trap) to the leg's end, inclusive: every Switch by its
// SwitchKind (FS, LS) and every TrapEnter (IC). The leg ends at the first of, after its
// last stage: U back in user mode on that CPU (Activity User while U is current; T5),
// or, for the crypto leg, a switch to the receiving LWP (the one current at SocketRead).
// That switch is counted when a path thread gives the CPU to the receiver instead of U
// (its switch away is the path's own), not when U itself is switched to the receiver:
// that is the receiver's wake-up, which the research leaves out.
// Blocked cycles: on the leg's CPU, for every LockWait inside the leg, the cycles until
// that LWP acquired that lock. A packet's figures are the sums of its legs'; when one
// interrupt serves several packets, each packet's share of the leg is 1/(its packets) in
// the per-packet means. The counts assume one packet at a time, as the research does:
// when packets arrive faster than U resumes, the legs' windows overlap and a switch is
// counted in each window that holds it (docs/personalities.md, "Under the big-ooo profile").
//
// Memory: only what can still change. A packet is reduced once it is settled (read or
// dropped) and its legs are final, in any order: its histogram figures are added to the
// running totals (ipsec/ipsec_totals.h: exact, order-free) and its record freed, and only
// its per-packet means' terms are kept until every packet before it is reduced too, since
// those double sums must be added in packet id order to come out bit for bit the same. So
// a packet held back (a leg of it never closes while the run goes on: its interrupted LWP
// never runs again, e.g. the idle LWP of a hart that stays busy) keeps only a few bytes of
// each later packet, not the later packets' records. A settled packet whose legs are not
// final yet (under bsd43's receive livelock most legs' U never resumes) is reduced as far
// as its legs allow: its from-the-MAC figures and its legs' first-packet points are added
// at once and its record replaced by a PacketAwaitingLegs (its two legs, the three cycles
// their closes read, whether it was read), which gives its per-packet terms and its
// complete-path count once both legs are final. Later events of such a packet update
// those cycles as they would the record; a packet cannot be read after it was dropped (a
// drop frees it in the kernel), so its from-the-MAC figures cannot change either. A leg is folded,
// in any order (its figures are histograms and integer sums), once no packet can join it (a later
// interrupt of its source has started), its close is decided (below) and its packets are
// reduced. A close is decided once the leg's packets reached its last stage, the entry
// that ends it is in its CPU's log, that CPU's events have passed that cycle and no lock
// wait begun by then is still open on it (its blocked cycles are then all known); a crypto
// leg's not before the receiver is known (the first read). The search for a leg's end
// goes on from where the last attempt stopped, keeping the counts of the entries passed,
// so an open leg holds no log entries it has passed: e.g. one whose U is an idle LWP of a
// hart that never idles again (U recorded as 0 is hart 0's idle LWP, current from boot),
// which stays open, rightly, until the run ends. Switch-log and blocked-time
// entries older than every leg that may still read them are dropped. What is left at
// finish() is closed and folded as before, and stays readable (packet(), leg()). The
// receiver is the LWP of the latest read when a leg's close is decided (one receiving
// LWP, as in every scenario, gives the same as deciding at the end). The byte-exact check
// holds only what is in flight: a frame's expectation is forgotten once its first outcome
// settles it (read, dropped by the kernel or by the NIC; a later read of a settled packet
// counts as duplicated, a later drop is not checked again), and the frames still
// unsettled when the run ends are the missing ones.
//
// Called through a Tracer (the simulator's one thread); finish() once, after the run.
#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <vector>

#include "ipsec/crypto_jobs.h"
#include "ipsec/ipsec_totals.h"
#include "ipsec/path_point.h"
#include "net/esp_expectations.h"
#include "net/net_events.h"
#include "trace/trace.h"

namespace irqlab::cosim {

struct PathLeg {
  unsigned source = 0;
  unsigned cpu = 0;
  std::optional<Cycle> t0;  // none: a handler start without a request seen
  std::optional<Cycle> t1;  // trap entry, or the claim in a running trap (none: no T0)
  Cycle t2 = 0;
  std::uint32_t interrupted_lwp = 0;  // U
  std::vector<std::uint32_t> packets;
  // Known once the close is decided, for a leg whose packets all reached its last stage
  // and whose U resumed (or the receiver was switched to) before the run ended.
  std::optional<Cycle> t5;
  SwitchTally tally;
  std::size_t log_start = 0;  // index into its CPU's switch log (counted from the run's start)
  // Its close, searched as the log grows (once its packets reached its last stage), so the
  // log need not be kept back to log_start: the entries [log_start, scanned) are counted
  // in `counted` and none of them ends the leg under any receiver but the switches below.
  std::size_t scanned = 0;
  SwitchTally counted;
  // A crypto leg's first switch to each LWP other than U among those entries, at or after
  // its last stage: its end should that LWP be (or become) the receiver.
  struct SwitchSeen {
    std::size_t index;
    Cycle cycle;
    std::uint32_t from;
    bool light;
    SwitchTally before;  // the counts of [log_start, index)
  };
  std::map<std::uint32_t, SwitchSeen> switches_seen;  // switched-to LWP -> its first switch
  bool superseded = false;    // a later interrupt of its source started: no packet joins
  bool final = false;         // its close is decided: t5 and tally no longer change
  // Its first packet's T3 and user read, kept when that packet is folded.
  std::optional<Cycle> first_t3, first_read;
};

struct PacketPath {
  std::uint32_t id = 0;
  std::optional<std::uint64_t> sequence;  // the wire's offer number of its frame
  std::array<std::optional<Cycle>, kPathPoints> at{};
  std::optional<std::size_t> nic_leg;
  std::optional<std::size_t> crypto_leg;
  std::optional<std::uint64_t> request;
  std::optional<kernel::NetDropCause> drop;
  std::optional<Cycle> dropped_at;
  unsigned reads = 0;
};

// A settled packet whose figures are folded except what its legs' closes decide
// (IpsecPath's design comment): what close() reads of it and what its terms need.
struct PacketAwaitingLegs {
  std::optional<std::size_t> nic_leg;
  std::optional<std::size_t> crypto_leg;
  std::optional<Cycle> crypto_submit;  // its CryptoSubmit stage: the NIC leg's last
  std::optional<Cycle> socket_queued;  // its SocketQueued stage: the crypto leg's last
  std::optional<Cycle> dropped_at;
  bool read = false;  // a SocketRead of it: counted in the per-packet means if complete
};

// The byte-exact check of SocketRead payloads against the traffic source's frames.
struct DeliveryCheck {
  std::uint64_t delivered = 0;    // reads equal, byte for byte, to their frame's payload
  std::uint64_t mismatched = 0;   // reads that differ, or of a frame that must not arrive
  std::uint64_t missing = 0;      // deliverable frames offered, never read nor dropped with a cause
  std::uint64_t duplicated = 0;   // reads of a packet already read
  std::uint64_t bad_dropped = 0;  // frames that must not arrive, dropped (with any cause)
};

class IpsecPath : public kernel::TraceSink {
 public:
  static constexpr unsigned kNetDropCauses = 9;  // NetDropCause Short .. NoSocket
  static constexpr unsigned kNicDropCauses = 2;  // FrameDropped: FIFO overflow, length
  // Events between two attempts to fold what has settled: often enough to hold a few
  // thousand records at most, rarely enough to cost nothing measurable.
  static constexpr std::uint64_t kFoldEveryEvents = 4096;

  // `nic_source`, `crypto_source`: their PLIC sources. `expectations` may be null (no
  // byte-exact check) and must outlive this object; the path forgets each frame's record
  // once the frame's outcome is settled.
  IpsecPath(unsigned nic_source, unsigned crypto_source,
            models::net::EspExpectations* expectations);

  void record(const kernel::TraceEvent& event) override;
  // Closes the legs and folds what is left into the totals; call once, after the last event.
  void finish();

  const CryptoJobs& crypto() const { return jobs_; }
  unsigned crypto_source() const { return crypto_source_; }
  // The figures (complete after finish()).
  const IpsecTotals& totals() const { return totals_; }
  // Packet `id`'s record, leg `index`'s; nullptr once folded and freed.
  const PacketPath* packet(std::uint32_t id) const;
  const PathLeg* leg(std::size_t index) const;
  // Records held now: what the run has in flight.
  std::size_t packets_held() const { return packets_.size(); }
  // Settled packets folded but for their legs' closes (PacketAwaitingLegs each).
  std::size_t packets_awaiting_legs() const { return awaiting_legs_.size(); }
  // Packets whose per-packet terms wait for an earlier packet to be reduced, plus those held.
  std::size_t packets_in_order() const { return in_order_.size(); }
  std::size_t legs_held() const { return legs_.size(); }
  std::size_t log_entries_held() const;
  // A packet's FS/LS/IC/blocked: its legs' sums (legs not closed add nothing).
  SwitchTally tally(const PacketPath& packet) const;
  // Whether both its legs closed (the path was followed to U's resumption).
  bool complete(const PacketPath& packet) const;
  const std::array<std::uint64_t, kNetDropCauses>& drops() const { return drops_; }
  const std::array<std::uint64_t, kNicDropCauses>& nic_drops() const { return nic_drops_; }
  std::uint64_t offered() const { return offered_; }
  std::uint64_t reads() const { return reads_; }  // SocketRead events
  bool checked() const { return expectations_ != nullptr; }
  const DeliveryCheck& check() const { return check_; }
  std::optional<std::uint32_t> receiver_lwp() const { return receiver_lwp_; }

 private:
  struct Offer {
    std::uint64_t sequence;
    Cycle cycle;
  };
  // One CPU's switch log: what the counts are taken from.
  enum class LogKind : std::uint8_t { Full, Light, Trap, UserMode };
  struct LogEntry {
    Cycle cycle;
    LogKind kind;
    std::uint32_t lwp;   // switched to, or current (UserMode, Trap)
    std::uint32_t from;  // a switch's previous LWP
  };
  struct Log {
    std::deque<LogEntry> entries;
    std::size_t first = 0;  // the index of entries.front() since the run's start
    std::size_t end() const { return first + entries.size(); }
    const LogEntry& at(std::size_t index) const { return entries[index - first]; }
  };
  struct Blocked {
    Cycle from;
    Cycle to;
  };
  // A reduced packet's terms of the per-packet means (PerPacketSums), per field FS, LS, IC,
  // blocked: its NIC leg's share, then its crypto leg's, added in that order.
  struct PacketTerms {
    bool counted = false;  // read, and its path complete
    std::array<double, 4> nic{}, crypto{};
  };

  PacketPath& held(std::uint32_t id);
  PathLeg& held_leg(std::size_t index) { return legs_.at(index); }
  // Whether packet `id`'s figures are in the totals (or its terms queued): its record is gone.
  bool reduced(std::uint32_t id) const;
  void set(PacketPath& p, PathPoint point, Cycle cycle);
  void on_stage(const kernel::TraceEvent& event);
  void on_handler_start(const kernel::TraceEvent& event);
  void on_crypto_done(const kernel::TraceEvent& event);
  void on_read(const kernel::TraceEvent& event);
  // The byte-exact check's part of a drop: counted against the frame's expected cause, and
  // the frame forgotten (its first outcome settles it).
  void settle_dropped(const PacketPath& p);
  void append(unsigned cpu, const LogEntry& entry);
  // Decides `leg`'s close if it can be; `at_end`: the run is over, decide with what is known.
  void close(PathLeg& leg, bool at_end);
  // Folds the settled packets and final legs into the totals and frees them;
  // `at_end`: fold everything, keep the records.
  void fold(bool at_end);
  // Adds `p`'s histogram figures to the totals and returns its per-packet terms.
  PacketTerms reduce(const PacketPath& p);
  // The part of reduce() that needs no leg to be final: its from-the-MAC figures and, if it
  // is its legs' first packet, their T3 and read points.
  void reduce_points(const PacketPath& p);
  // The part that does: its complete-path count and per-packet terms; legs final (or the end).
  PacketTerms reduce_legs(const PacketAwaitingLegs& p);
  // The cycle at which packet `p`'s work in its NIC (or crypto) leg ended; none: not yet.
  static std::optional<Cycle> leg_end(const PacketAwaitingLegs& p, bool crypto_leg);
  static PacketAwaitingLegs awaiting_legs(const PacketPath& p);
  // Adds the terms at the front of in_order_, in id order, up to the first packet still held.
  void add_terms_in_order();
  void add_terms(const PacketTerms& terms);
  void fold_leg(const PathLeg& leg);
  void trim_logs();

  unsigned nic_source_;
  unsigned crypto_source_;
  models::net::EspExpectations* expectations_;
  CryptoJobs jobs_;
  IpsecTotals totals_;
  std::map<std::uint32_t, PacketPath> packets_;  // id -> record, not reduced yet
  std::map<std::uint32_t, PacketAwaitingLegs> awaiting_legs_;  // id -> settled, legs open
  // Ids first_packet_, first_packet_ + 1, ...: their terms once reduced, none while held.
  std::deque<std::optional<PacketTerms>> in_order_;
  std::uint32_t first_packet_ = 1;       // every packet before it is in the totals
  std::map<std::size_t, PathLeg> legs_;  // index -> leg, not folded yet
  std::size_t next_leg_ = 0;  // index of the next leg to start
  std::uint64_t events_ = 0;
  std::uint64_t offered_ = 0;  // FrameOffered events
  std::uint64_t last_offered_sequence_ = 0;
  std::deque<Offer> awaiting_delivery_;  // offered, not dropped, not delivered
  // Delivered frames whose packet has not reached EtherInput: packet p's frame at
  // p - first_undelivered_packet_ (EtherInput comes in packet order).
  std::deque<Offer> delivered_;
  std::uint32_t first_undelivered_packet_ = 1;
  std::map<unsigned, std::deque<Cycle>> open_requests_;  // source -> T0s not yet handled
  std::map<unsigned, std::size_t> last_leg_;             // source -> its latest leg
  std::map<unsigned, std::uint32_t> current_;            // cpu -> current LWP
  std::map<unsigned, Cycle> hart_cycle_;                 // cpu -> cycle of its latest hart event
  struct Trap {
    Cycle cycle;
    std::uint32_t lwp;
    std::size_t log_index;
  };
  std::map<unsigned, Trap> last_trap_;          // cpu -> its latest trap entry
  std::map<unsigned, Cycle> last_claim_;        // cpu -> its latest claim read
  std::map<unsigned, std::uint32_t> building_;  // cpu -> packet between EspInput and CryptoSubmit
  std::map<std::uint64_t, std::uint32_t> packet_of_request_;  // until its callback
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::pair<Cycle, unsigned>>
      waiting_;  // (lock, lwp) -> (since, cpu)
  std::map<unsigned, Log> logs_;
  std::map<unsigned, std::vector<Blocked>> blocked_;
  std::array<std::uint64_t, kNetDropCauses> drops_{};
  std::array<std::uint64_t, kNicDropCauses> nic_drops_{};
  std::optional<std::uint32_t> receiver_lwp_;
  std::uint64_t reads_ = 0;
  DeliveryCheck check_;
  bool finished_ = false;
};

}  // namespace irqlab::cosim
