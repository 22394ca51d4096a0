#pragma once
// Driver for the irqlab NIC, an Intel 8254x (e1000) subset, written against the manual's
// programming model (legacy descriptors). Registered as device "nic"; line 0 of the
// device is its one level interrupt (PLIC source 5 on the irqlab SoC).
//
// Design
//   Without a nic: block in the scenario (NicConfig::present false) the driver requests
//   no source, registers no hook and does no MMIO: the run is the same as without it.
//
//   attach() (host side) takes the rings and buffers from main memory (Kernel::dma_memory):
//   an RX ring of rx_descriptors legacy descriptors, each with a buffer_size buffer, and a
//   TX ring with one buffer per descriptor, so a frame is copied once into the buffer of
//   the descriptor it goes out on. It serves the source and registers the statistics tick.
//
//   boot_cpu() on the NIC's boot CPU (the first of nic.cpus, else 0), interrupts off:
//     CTRL.RST, poll CTRL until RST self-clears (spin_iteration between reads)
//     RAL0/RAH0 (AV) from nic.mac
//     RX ring in memory (buffer addresses, status 0); RDBAL/RDBAH/RDLEN, RDH = 0,
//       RDT = n - 1 (hardware owns [RDH, RDT): one descriptor is always held back so a
//       full ring is not mistaken for an empty one)
//     TX ring in memory (zeroed); TDBAL/TDBAH/TDLEN, TDH = TDT = 0
//     ITR, RDTR, RADV from the config; IMS = RXT0 | RXO | RXDMT0 | TXDW | LSC
//     TCTL = EN | PSP; RCTL = EN | BAM | BSIZE(buffer_size) | SECRC, last, so no frame
//       is received before the rings are in place.
//   It also establishes the poll as neutral deferred work (personality/deferred.h; Net,
//   may_block false, mpsafe true, source = the NIC's, bottom half OrDeferred: the NIC's
//   ithread or irq thread where the personality gives it one, else NAPI / swi / softint):
//   the personality does not exist yet at attach().
//
//   The interrupt handler (hard interrupt) reads ICR, which clears it. In polling mode it
//   masks the RX causes (IMC) so a burst costs one interrupt, NAPI-style; in either mode
//   it schedules the poll. TXDW needs nothing more (the poll cleans the TX ring); RXO
//   asks the poll to read the statistics back.
//
//   The poll (deferred work) cleans the TX ring, reads the statistics if asked, then walks
//   the RX ring from the next descriptor while DD is set: per frame it reads the frame,
//   spends nic_rx_frame, emits PacketDelivered (the delivery point), hands it to
//   NetStack::ether_input when the scenario has an ipsec: block, echoes it if asked,
//   clears and hands back the descriptor (nic_refill); RDT is written once per batch. In
//   polling mode at most `budget` frames: a full budget reschedules the poll (it stays on
//   the poll list, as a NAPI poll returning its budget), a short one re-enables the RX
//   causes with IMS, and the NIC raises its line again at once if a cause came in while
//   they were masked. Without polling the poll drains the ring.
//
//   Echo and TX: a delivered frame goes back with source and destination MACs swapped,
//   through the next TX descriptor (EOP | IFCS | RS), one TDT write and a PacketSent per
//   frame. When the TX ring is full (the next descriptor is not yet reclaimed) the frame
//   is not sent: NicDriverStats::tx_ring_full counts it, so nothing is lost silently.
//   TX clean-up reclaims, in order, the descriptors whose DD the NIC wrote back
//   (nic_tx_clean each).
//
//   Statistics: MPC, RLEC, RNBC, GPRC, GPTC, GORCL, GOTCL clear on read. They are read
//   after an RXO and every nic.stats_ticks ticks of the boot CPU (in the tick's hard
//   interrupt); each non-zero value read is a NicCounter event (arg NicCounterId, arg2 the
//   value) and is added to NicDriverStats::counters. A zero read emits nothing.
//
//   Engine errors: a DMA access answered with an error stops the RX or TX engine and sets
//   STATUS.RXDMAERR or TXDMAERR until CTRL.RST (docs/rtl.md, NIC). The driver reads STATUS
//   when it sees the symptom such a stop gives, and only then, so a healthy run makes no
//   extra access: a non-zero MPC (a stopped RX engine leaves the FIFO to overflow) and a
//   full TX ring (a stopped TX engine reclaims nothing). Each bit is reported once, the
//   first time it is seen, as a NicError event (arg NicErrorCause) and in
//   NicDriverStats::errors. The driver does not reset the NIC: what it would lose (frames
//   in the FIFO and the rings) is what the report is for, and the frames that keep coming
//   are counted as MPC drops. An RX stop with no frame after it shows no symptom and is
//   not reported.
//
// One poll at a time: the personalities' Net mechanisms may run a work on two CPUs at once
// (NetBSD's per-CPU softints), so the poll keeps a busy flag, like NAPI_STATE_SCHED; a
// poll entered while another runs only asks that one to run again.
//
// Register offsets and fields: drivers/regs/nic_regs.h, generated from rtl/soc/soc.yaml.
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "drivers/driver.h"
#include "drivers/nic/nic_config.h"
#include "drivers/nic/nic_counters.h"
#include "machine/machine.h"
#include "personality/deferred.h"

namespace irqlab::kernel {

// What the driver did, for tests and results (any context may read it).
struct NicDriverStats {
  std::uint64_t interrupts = 0;    // handler runs
  std::uint64_t polls = 0;         // poll runs (including those that found another running)
  std::uint64_t delivered = 0;     // frames given to protocol input (PacketDelivered)
  std::uint64_t tx_queued = 0;     // frames handed to the TX ring (PacketSent)
  std::uint64_t tx_ring_full = 0;  // frames not sent because the TX ring was full (TX drops)
  std::uint64_t tx_cleaned = 0;    // TX descriptors reclaimed
  std::array<std::uint64_t, kNicCounterCount> counters{};  // sums read back, by NicCounterId
  std::array<std::uint64_t, kNicErrorCauseCount> errors{};  // engine errors, by NicErrorCause
};

class NicDriver final : public Driver {
 public:
  NicDriver(Kernel& kernel, const PlatformDevice& device);

  // Host side, before any hart runs.
  void attach() override;
  // On hart `cpu`, interrupts disabled; only the NIC's boot CPU programs the device.
  void boot_cpu(unsigned cpu) override;

  const NicDriverStats& stats() const { return stats_; }
  // Where attach() placed the rings (for tests and the wave viewer's notes). Any context.
  Addr rx_ring() const { return rx_ring_; }
  Addr tx_ring() const { return tx_ring_; }

 private:
  // Hard interrupt, interrupts disabled.
  void interrupt();
  // Deferred work (the poll), interrupts enabled, may not block.
  void poll();
  // From poll(): delivers up to `limit` frames, returns how many.
  unsigned receive(unsigned limit);
  // From poll(): queues `frame` (already MAC-swapped) on the TX ring.
  void transmit(std::span<const std::uint8_t> frame);
  // From poll(): reclaims the TX descriptors the NIC has written back.
  void clean_tx();
  // From poll() or the tick hook (hard interrupt): reads every statistics register.
  void read_counters();
  // From read_counters() or transmit(): reads STATUS and reports each DMA error bit the
  // first time it is seen set.
  void check_engine_errors();
  // boot_cpu() steps, on the boot CPU, interrupts disabled.
  void reset();
  void setup_rings();

  // Register access, from boot_cpu(), the handler, the poll or the tick hook.
  std::uint32_t read(Addr offset) { return machine_.mmio_read(base_ + offset); }
  void write(Addr offset, std::uint32_t value) { machine_.mmio_write(base_ + offset, value); }

  Machine& machine_;
  const NicConfig& config_;
  Addr base_;
  unsigned boot_cpu_ = 0;
  Addr rx_ring_ = 0, rx_buffers_ = 0;
  Addr tx_ring_ = 0, tx_buffers_ = 0;
  unsigned rx_next_ = 0;      // next RX descriptor the driver looks at
  unsigned tx_next_ = 0;      // next TX descriptor to fill
  unsigned tx_clean_ = 0;     // oldest TX descriptor not yet reclaimed
  unsigned tx_in_flight_ = 0;  // filled, not yet reclaimed
  unsigned ticks_ = 0;        // boot CPU ticks since the last statistics read
  bool counters_due_ = false;  // an RXO asked for a statistics read
  bool poll_busy_ = false;     // a poll is running (NAPI_STATE_SCHED)
  bool poll_again_ = false;    // a poll was asked for while one ran
  std::uint32_t errors_reported_ = 0;  // STATUS error bits already reported (until a reset)
  DeferredWork* poll_work_ = nullptr;
  std::vector<std::uint8_t> frame_;  // the frame being handled (host-side scratch)
  NicDriverStats stats_;
};

}  // namespace irqlab::kernel
