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
// Memory: a record per packet and per leg, and the per-CPU switch log, kept to the end
// of the run (the counts are taken when the run ends, once every leg is known).
// Called through a Tracer (the simulator's one thread); finish() once, after the run.
#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include "ipsec/crypto_jobs.h"
#include "net/esp_expectations.h"
#include "net/net_events.h"
#include "trace/trace.h"

namespace irqlab::cosim {

// The points of a packet's path, in path order.
enum class PathPoint : std::uint8_t {
  FrameOffered,  // its last byte at the MAC
  NicT0,         // the NIC's request at the PLIC
  NicT1,         // trap entry
  NicT2,         // the NIC handler starts
  EtherInput,
  IpInput,
  EspInput,
  CryptoSubmit,
  JobStart,  // the engine fetches its descriptor (RTL)
  JobDone,   // the engine retired its status write-back (RTL)
  CryptoT0,  // the engine's request at the PLIC
  CryptoT1,
  CryptoT2,
  CryptoDone,
  CryptoCallback,  // the continuation is called
  EspCallback,     // esp_input_cb runs (tag check)
  IpReinput,
  UdpInput,
  SocketQueued,
  UserRead,  // the receiver's read returned it
};
inline constexpr std::size_t kPathPoints = static_cast<std::size_t>(PathPoint::UserRead) + 1;
const char* path_point_name(PathPoint point);

struct SwitchTally {
  std::uint64_t full = 0;       // FS
  std::uint64_t light = 0;      // LS
  std::uint64_t interrupt = 0;  // IC (trap entries)
  Cycle blocked = 0;            // cycles waited for locks
  SwitchTally& operator+=(const SwitchTally& o);
};

struct PathLeg {
  unsigned source = 0;
  unsigned cpu = 0;
  std::optional<Cycle> t0;  // none: a handler start without a request seen
  std::optional<Cycle> t1;  // trap entry, or the claim in a running trap (none: no T0)
  Cycle t2 = 0;
  std::uint32_t interrupted_lwp = 0;  // U
  std::vector<std::uint32_t> packets;
  // Known after finish(), for a leg whose packets all reached its last stage and whose U
  // resumed (or the receiver was switched to) before the run ended.
  std::optional<Cycle> t5;
  SwitchTally tally;
  std::size_t log_start = 0;  // index into its CPU's switch log
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

  // `nic_source`, `crypto_source`: their PLIC sources. `expectations` may be null (no
  // byte-exact check) and must outlive this object.
  IpsecPath(unsigned nic_source, unsigned crypto_source,
            const models::net::EspExpectations* expectations);

  void record(const kernel::TraceEvent& event) override;
  // Closes the legs and takes the counts; call once, after the last event.
  void finish();

  const CryptoJobs& crypto() const { return jobs_; }
  unsigned crypto_source() const { return crypto_source_; }
  const std::vector<PacketPath>& packets() const { return packets_; }  // by id - 1
  const std::vector<PathLeg>& legs() const { return legs_; }
  // A packet's FS/LS/IC/blocked: its legs' sums (after finish(); legs not closed add nothing).
  SwitchTally tally(const PacketPath& packet) const;
  // Whether both its legs closed (the path was followed to U's resumption).
  bool complete(const PacketPath& packet) const;
  const std::array<std::uint64_t, kNetDropCauses>& drops() const { return drops_; }
  const std::array<std::uint64_t, kNicDropCauses>& nic_drops() const { return nic_drops_; }
  std::uint64_t offered() const { return offered_.size(); }
  std::uint64_t reads() const { return reads_; }  // SocketRead events
  bool checked() const { return expectations_ != nullptr; }
  const DeliveryCheck& check() const { return check_; }
  std::optional<std::uint32_t> receiver_lwp() const { return receiver_lwp_; }

 private:
  struct Offer {
    std::uint64_t sequence;
    Cycle cycle;
  };
  // One CPU's switch log: what the counts are taken from at finish().
  enum class LogKind : std::uint8_t { Full, Light, Trap, UserMode };
  struct LogEntry {
    Cycle cycle;
    LogKind kind;
    std::uint32_t lwp;   // switched to, or current (UserMode, Trap)
    std::uint32_t from;  // a switch's previous LWP
  };
  struct Blocked {
    Cycle from;
    Cycle to;
  };

  PacketPath& packet(std::uint32_t id);
  void set(PacketPath& p, PathPoint point, Cycle cycle);
  void on_stage(const kernel::TraceEvent& event);
  void on_handler_start(const kernel::TraceEvent& event);
  void on_crypto_done(const kernel::TraceEvent& event);
  void on_read(const kernel::TraceEvent& event);
  void close(PathLeg& leg, bool crypto_leg);
  std::vector<LogEntry>& log(unsigned cpu);

  unsigned nic_source_;
  unsigned crypto_source_;
  const models::net::EspExpectations* expectations_;
  CryptoJobs jobs_;
  std::vector<PacketPath> packets_;
  std::vector<PathLeg> legs_;
  std::vector<Offer> offered_;                           // every frame offered, in order
  std::deque<Offer> awaiting_delivery_;                  // offered, not dropped, not delivered
  std::vector<Offer> delivered_;                         // the frame of packet p at p - 1
  std::map<std::uint64_t, bool> nic_dropped_;            // sequence -> dropped by the NIC
  std::map<unsigned, std::deque<Cycle>> open_requests_;  // source -> T0s not yet handled
  std::map<unsigned, std::size_t> last_leg_;             // source -> its latest leg
  std::map<unsigned, std::uint32_t> current_;            // cpu -> current LWP
  struct Trap {
    Cycle cycle;
    std::uint32_t lwp;
    std::size_t log_index;
  };
  std::map<unsigned, Trap> last_trap_;          // cpu -> its latest trap entry
  std::map<unsigned, Cycle> last_claim_;        // cpu -> its latest claim read
  std::map<unsigned, std::uint32_t> building_;  // cpu -> packet between EspInput and CryptoSubmit
  std::map<std::uint64_t, std::uint32_t> packet_of_request_;
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::pair<Cycle, unsigned>>
      waiting_;  // (lock, lwp) -> (since, cpu)
  std::map<unsigned, std::vector<LogEntry>> logs_;
  std::map<unsigned, std::vector<Blocked>> blocked_;
  std::array<std::uint64_t, kNetDropCauses> drops_{};
  std::array<std::uint64_t, kNicDropCauses> nic_drops_{};
  std::optional<std::uint32_t> receiver_lwp_;
  std::uint64_t reads_ = 0;
  DeliveryCheck check_;
  bool finished_ = false;
};

}  // namespace irqlab::cosim
