#pragma once
// A behavioural e1000-subset NIC, registered as fake device "nic": the registers and
// DMA semantics the NIC driver relies on, with no bus or wire timing (docs/rtl.md, NIC,
// for offsets and bits; this file keeps its own copy of them).
//
//   CTRL.RST      resets every register, the FIFO and the counters; reads back set for
//                 kResetCycles cycles, then self-clears. STATUS.LU reads 1.
//   RX            a frame injected at cycle c reaches the MAC at c. Receiver off
//                 (RCTL.EN = 0): ignored. Longer than the RCTL.BSIZE buffer: RLEC, dropped.
//                 FIFO (fifo_frames() frames) full: MPC, ICR.RXO, dropped. Otherwise it
//                 waits in the FIFO until a descriptor is free (RDH != RDT, RDLEN legal),
//                 RNBC counting once each frame that found none; then it is copied to the
//                 descriptor's buffer, the descriptor gets its length and DD | EOP, RDH
//                 advances, ICR.RXT0 is set (no RDTR/RADV/ITR delay: moderation is the
//                 RTL's and is tested there), RXDMT0 when the free descriptors reach the
//                 RCTL.RDMTS threshold. Frames are injected without FCS; the fake models
//                 RCTL.SECRC = 1 only (enabling the receiver without it is a test error).
//   TX            a TDT write (with TCTL.EN) sends every descriptor from TDH to TDT at
//                 once, unless the test holds transmission (hold_transmit): each frame
//                 is collected, RS writes DD back and sets ICR.TXDW; an empty queue sets
//                 ICR.TXQE.
//   ICR           read returns and clears it; write 1 clears; ICS sets; IMS sets and IMC
//                 clears mask bits. The line to the PLIC is ICR & IMS != 0 (level).
//   Statistics    MPC, RLEC, RNBC, GPRC, GPTC, GORCL, GOTCL clear on read (octets count
//                 the FCS, as the manual's).
//   DMA errors    an engine whose descriptor or buffer lies outside the connected RAM stops
//                 where it is, as the RTL's does on d_error: STATUS.RXDMAERR (16) or
//                 TXDMAERR (17) is set until CTRL.RST, RDH/TDH stay, the RX frame stays in
//                 the FIFO (later frames overflow it: MPC, RXO).
// DMA goes to the FakeMachine's RAM, which the test connects (connect_memory); DMA with no
// RAM connected throws std::logic_error (a test error).
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "fake_devices/fake_device.h"

namespace irqlab::kernel::test {

struct SentFrame {
  Cycle cycle;  // the TDT write that sent it
  std::vector<std::uint8_t> bytes;  // without FCS
  bool operator==(const SentFrame&) const = default;
};

class FakeNic final : public FakeDevice {
 public:
  static constexpr Cycle kResetCycles = 10;

  FakeNic(const PlatformDevice& device, const PlatformMap& platform, unsigned harts);

  Addr window() const override { return 0x10000; }
  std::uint32_t access(const FakeAccess& a) override;
  void advance(Cycle at) override;
  Cycle next_event() const override;
  bool line(unsigned line) const override { return line == 0 && (icr_ & ims_) != 0; }

  // Test API, host side.
  void connect_memory(std::span<std::uint8_t> ram, Addr base) {
    ram_ = ram;
    ram_base_ = base;
  }
  void inject(Cycle at, std::vector<std::uint8_t> frame) { arriving_.emplace(at, std::move(frame)); }
  void set_fifo_frames(unsigned frames) { fifo_frames_ = frames; }
  // While held, TDT writes send nothing (a busy wire); released, the queue goes out at
  // the next cycle the machine brings the device to (an access or an injected frame).
  void hold_transmit(bool hold) { holding_tx_ = hold; }
  const std::vector<SentFrame>& sent() const { return sent_; }
  unsigned ignored() const { return ignored_; }  // frames that came while the receiver was off
  std::uint32_t ims() const { return ims_; }

 private:
  enum Counter { kMissed, kLengthErrors, kNoBuffer, kGoodRx, kGoodTx, kRxOctets, kTxOctets, kCounters };

  void reset();
  void receive_dma();
  void transmit_dma(Cycle at);
  unsigned buffer_bytes() const;
  // The RAM at [addr, addr + size), or nothing when it lies outside (a DMA error).
  std::optional<std::span<std::uint8_t>> memory(std::uint64_t addr, std::size_t size);

  std::span<std::uint8_t> ram_;
  Addr ram_base_ = 0;
  Cycle reset_until_ = 0;
  std::uint32_t icr_ = 0, ims_ = 0, rctl_ = 0, tctl_ = 0, itr_ = 0, rdtr_ = 0, radv_ = 0;
  std::uint32_t ral_ = 0, rah_ = 0;
  std::uint64_t rdba_ = 0, tdba_ = 0;
  std::uint32_t rdlen_ = 0, rdh_ = 0, rdt_ = 0, tdlen_ = 0, tdh_ = 0, tdt_ = 0;
  std::uint32_t counters_[kCounters] = {};
  std::multimap<Cycle, std::vector<std::uint8_t>> arriving_;
  std::deque<std::vector<std::uint8_t>> fifo_;
  unsigned fifo_frames_ = 4;
  bool head_counted_rnbc_ = false;
  bool holding_tx_ = false;
  std::uint32_t dma_errors_ = 0;  // STATUS.RXDMAERR / TXDMAERR bits
  unsigned ignored_ = 0;
  std::vector<SentFrame> sent_;
};

}  // namespace irqlab::kernel::test
