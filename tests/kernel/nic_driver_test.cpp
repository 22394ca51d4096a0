// The NIC driver (kernel/drivers/nic) on the fake machine with the fake NIC
// (fake_devices/fake_nic.h). Expected register values come from the e1000 programming
// model and docs/rtl.md (offsets and bits spelled out below, not taken from the
// driver), expected frames from what the test injects.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <string_view>

#include "drivers/nic/nic_driver.h"
#include "fake_devices/fake_nic.h"
#include "mem/bump_allocator.h"
#include "personality/freebsd/freebsd.h"
#include "personality/linux/linux.h"
#include "personality_support.h"

namespace irqlab::kernel::test {
namespace nic_driver_test {

using K = TraceKind;
using Frame = std::vector<std::uint8_t>;

constexpr Addr kNicBase = 0x10020000;  // rtl/soc/soc.yaml
constexpr unsigned kNicSource = 5;
constexpr Addr kRamBase = 0x80000000, kRamSize = 2 << 20;

// e1000 registers and bits (8254x manual; docs/rtl.md).
constexpr Addr kCtrl = 0x0000, kIcr = 0x00C0, kItr = 0x00C4, kIms = 0x00D0, kImc = 0x00D8, kRctl = 0x0100,
               kTctl = 0x0400, kRdbal = 0x2800, kRdbah = 0x2804, kRdlen = 0x2808, kRdh = 0x2810, kRdt = 0x2818,
               kRdtr = 0x2820, kRadv = 0x282C, kTdbal = 0x3800, kTdbah = 0x3804, kTdlen = 0x3808, kTdh = 0x3810,
               kTdt = 0x3818, kRal0 = 0x5400, kRah0 = 0x5404;
constexpr std::uint32_t kRst = 1u << 26;
constexpr std::uint32_t kTxdw = 1u << 0, kLsc = 1u << 2, kRxdmt0 = 1u << 4, kRxo = 1u << 6, kRxt0 = 1u << 7;
constexpr std::uint32_t kRxCauses = kRxt0 | kRxo | kRxdmt0;

const std::vector<std::string_view> kPersonalities{"linux", "freebsd", "netbsd", "bsd43"};

PersonalityConfig personality(std::string_view name) {
  if (name == "linux") return lnx::selected();
  if (name == "freebsd") return freebsd::selected();
  if (name == "netbsd") return netbsd::selected();
  return bsd43::selected();
}

PlatformMap nic_platform() {
  PlatformMap p = test_platform(1);
  p.devices.push_back({"nic", kNicBase, {kNicSource}});
  p.ram_base = kRamBase;
  p.ram_size = kRamSize;
  return p;
}

KernelConfig nic_config(std::string_view name, NicConfig nic = {}) {
  KernelConfig k = test_config(1);
  k.platform = nic_platform();
  k.personality = personality(name);
  k.nic = std::move(nic);
  k.nic.present = true;
  k.costs.nic_rx_frame = 50;
  k.costs.nic_refill = 6;
  k.costs.nic_tx_clean = 5;
  return k;
}

// Frame i: a length between 60 and 1000 and bytes that differ from every other frame's.
Frame frame(unsigned i) {
  Frame f(60 + (i * 37) % 941);
  for (std::size_t j = 0; j < f.size(); ++j) f[j] = static_cast<std::uint8_t>(i * 131 + j * 7 + j / 256);
  return f;
}

Frame swapped(Frame f) {
  std::swap_ranges(f.begin(), f.begin() + 6, f.begin() + 6);
  return f;
}

// The frames of the packet events, and the counters' sums.
class FrameLog : public TraceSink {
 public:
  void record(const TraceEvent& e) override {
    if (e.kind == K::PacketDelivered) delivered.emplace_back(e.data.begin(), e.data.end());
    if (e.kind == K::PacketSent) sent.emplace_back(e.data.begin(), e.data.end());
    if (e.kind == K::NicCounter) counters[static_cast<NicCounterId>(e.arg)] += e.arg2;
  }
  std::vector<Frame> delivered, sent;
  std::map<NicCounterId, std::uint64_t> counters;
};

struct NicRig {
  explicit NicRig(KernelConfig k) : config(std::move(k)), rig(config), nic(rig.machine.device<FakeNic>("nic")) {
    nic.connect_memory(rig.machine.ram(), kRamBase);
    rig.tracer.attach(&frames);
  }
  ~NicRig() { rig.tracer.detach(&frames); }
  NicDriver& driver() {
    for (const auto& d : rig.kernel->drivers())
      if (d->name() == "nic") return dynamic_cast<NicDriver&>(*d);
    throw std::logic_error("no nic driver");
  }
  // The NIC's register accesses, as offsets.
  std::vector<MmioAccess> nic_accesses() const {
    std::vector<MmioAccess> out;
    for (MmioAccess a : rig.machine.accesses())
      if (a.addr >= kNicBase && a.addr < kNicBase + 0x10000) {
        a.addr -= kNicBase;
        out.push_back(a);
      }
    return out;
  }
  std::vector<MmioAccess> writes_to(Addr offset, Cycle from = 0) const {
    std::vector<MmioAccess> out;
    for (const MmioAccess& a : nic_accesses())
      if (a.addr == offset && a.write && a.cycle >= from) out.push_back(a);
    return out;
  }
  // Cycle of the RCTL write that ends the NIC's boot.
  Cycle booted() const { return writes_to(kRctl).at(0).cycle; }
  // Frames delivered by each run of the poll, in run order.
  std::vector<unsigned> batches() const {
    std::uint32_t id = ~0u;
    for (const Announced& a : rig.trace.announced)
      if (std::get<0>(a) == K::AnnounceDeferred && std::get<2>(a) == "nic_poll") id = std::get<1>(a);
    std::vector<unsigned> out;
    for (const Ev& e : rig.trace.events) {
      if (std::get<2>(e) == K::DeferStart && std::get<3>(e) == id) out.push_back(0);
      if (std::get<2>(e) == K::PacketDelivered) ++out.back();
    }
    return out;
  }
  KernelConfig config;
  Rig rig;
  FakeNic& nic;
  FrameLog frames;
};

// ---- boot ----

TEST(NicDriver, BootProgramsTheNicAsTheManualsSequence) {
  NicConfig nic;
  nic.rx_descriptors = 32;
  nic.tx_descriptors = 16;
  nic.buffer_size = 1024;
  nic.itr = 100;
  nic.rdtr = 2;
  nic.radv = 8;
  NicRig r(nic_config("linux", nic));
  r.rig.machine.run_until(10'000);
  const std::vector<MmioAccess> log = r.nic_accesses();
  const auto at = [&](std::size_t i) { return std::tuple(log.at(i).addr, log.at(i).value, log.at(i).write); };

  // Reset, then CTRL polled until RST reads 0.
  ASSERT_GE(log.size(), 3u);
  EXPECT_EQ(at(0), std::tuple(kCtrl, kRst, true));
  std::size_t i = 1;
  for (; log.at(i).addr == kCtrl && !log.at(i).write && log.at(i).value == kRst; ++i) {
  }
  EXPECT_EQ(at(i), std::tuple(kCtrl, 0u, false));
  EXPECT_GT(log.at(i).cycle, log.at(0).cycle + FakeNic::kResetCycles - 1);
  ++i;

  const std::uint64_t mac = nic.mac;
  const std::uint32_t rdbal = log.at(i + 2).value, rdbah = log.at(i + 3).value;
  const std::uint32_t tdbal = log.at(i + 7).value, tdbah = log.at(i + 8).value;
  const std::vector<std::tuple<Addr, std::uint32_t, bool>> expected{
      {kRal0, static_cast<std::uint32_t>(mac), true},
      {kRah0, static_cast<std::uint32_t>(mac >> 32 & 0xFFFF) | 1u << 31, true},  // AV
      {kRdbal, rdbal, true},
      {kRdbah, rdbah, true},
      {kRdlen, 32 * 16, true},
      {kRdh, 0, true},
      {kRdt, 31, true},
      {kTdbal, tdbal, true},
      {kTdbah, tdbah, true},
      {kTdlen, 16 * 16, true},
      {kTdh, 0, true},
      {kTdt, 0, true},
      {kItr, 100, true},
      {kRdtr, 2, true},
      {kRadv, 8, true},
      {kIms, kRxt0 | kRxo | kRxdmt0 | kTxdw | kLsc, true},
      {kTctl, 1u << 1 | 1u << 3, true},                          // EN | PSP
      {kRctl, 1u << 1 | 1u << 15 | 1u << 16 | 1u << 26, true},  // EN | BAM | BSIZE 01 (1024) | SECRC
  };
  ASSERT_EQ(log.size(), i + expected.size());
  for (std::size_t e = 0; e < expected.size(); ++e) EXPECT_EQ(at(i + e), expected[e]) << "access " << i + e;

  // The rings lie in main memory, 128-byte aligned (RDLEN granularity); every RX
  // descriptor points at its own buffer, which overlaps neither ring nor another buffer.
  const Addr rx = Addr{rdbah} << 32 | rdbal, tx = Addr{tdbah} << 32 | tdbal;
  EXPECT_EQ(rx % 128, 0u);
  EXPECT_EQ(tx % 128, 0u);
  std::vector<std::pair<Addr, Addr>> spans{{rx, rx + 32 * 16}, {tx, tx + 16 * 16}};
  const std::span<std::uint8_t> ram = r.rig.machine.ram();
  for (unsigned d = 0; d < 32; ++d) {
    const std::uint8_t* desc = &ram[rx - kRamBase + d * 16];
    Addr buffer = 0;
    for (int b = 7; b >= 0; --b) buffer = buffer << 8 | desc[b];
    EXPECT_EQ(desc[12], 0) << "status of descriptor " << d;
    spans.emplace_back(buffer, buffer + 1024);
  }
  std::ranges::sort(spans);
  EXPECT_GE(spans.front().first, kRamBase);
  EXPECT_LE(spans.back().second, kRamBase + kRamSize);
  for (std::size_t s = 1; s < spans.size(); ++s) EXPECT_LE(spans[s - 1].second, spans[s].first);
}

TEST(NicDriver, WithoutANicBlockNoMmioNoSourceAndTheSameRun) {
  KernelConfig with_device = test_config(1);
  with_device.platform = nic_platform();
  with_device.tick.period = 1500;
  with_device.personality = netbsd::selected();
  KernelConfig without = with_device;
  without.platform.devices.pop_back();  // no nic device at all
  Rig a(with_device), b(without);
  a.machine.run_until(20'000);
  b.machine.run_until(20'000);
  for (const MmioAccess& m : a.machine.accesses()) EXPECT_FALSE(m.addr >= kNicBase && m.addr < kNicBase + 0x10000);
  for (const IrqRequest& q : a.kernel->irq_requests()) EXPECT_NE(q.source, kNicSource);
  EXPECT_EQ(a.trace.events, b.trace.events);
  EXPECT_EQ(a.trace.announced, b.trace.announced);
  EXPECT_EQ(a.machine.accesses(), b.machine.accesses());
}

// ---- receive ----

TEST(NicDriver, FramesAreDeliveredInOrderByteForByteOnceUnderEachPersonality) {
  for (std::string_view name : kPersonalities) {
    SCOPED_TRACE(std::string(name));
    NicRig r(nic_config(name));
    r.nic.set_fifo_frames(64);
    std::vector<Frame> offered;
    for (unsigned i = 0; i < 24; ++i) {
      offered.push_back(frame(i));
      r.nic.inject(5'000 + 800 * i, offered.back());
    }
    for (unsigned i = 24; i < 40; ++i) {  // and a burst at one cycle
      offered.push_back(frame(i));
      r.nic.inject(40'000, offered.back());
    }
    r.rig.machine.run_until(200'000);
    EXPECT_EQ(r.frames.delivered, offered);
    EXPECT_EQ(r.driver().stats().delivered, offered.size());
    std::vector<std::uint32_t> lengths;
    for (const Ev& e : r.rig.trace.of(K::PacketDelivered)) lengths.push_back(std::get<3>(e));
    std::vector<std::uint32_t> offered_lengths;
    for (const Frame& f : offered) offered_lengths.push_back(static_cast<std::uint32_t>(f.size()));
    EXPECT_EQ(lengths, offered_lengths);  // arg = length
  }
}

TEST(NicDriver, PollingMasksThenRespectsTheBudgetThenUnmasksUnderEachPersonality) {
  for (std::string_view name : kPersonalities) {
    SCOPED_TRACE(std::string(name));
    NicConfig nic;
    nic.budget = 4;
    NicRig r(nic_config(name, nic));
    r.nic.set_fifo_frames(16);
    for (unsigned i = 0; i < 10; ++i) r.nic.inject(5'000, frame(i));
    r.rig.machine.run_until(100'000);

    EXPECT_EQ(r.batches(), (std::vector<unsigned>{4, 4, 2}));  // NAPI: a full budget polls again
    const std::vector<Ev> delivered = r.rig.trace.of(K::PacketDelivered);
    ASSERT_EQ(delivered.size(), 10u);
    const std::vector<MmioAccess> imc = r.writes_to(kImc, r.booted());
    const std::vector<MmioAccess> ims = r.writes_to(kIms, r.booted() + 1);
    ASSERT_EQ(imc.size(), 1u);
    EXPECT_EQ(imc[0].value, kRxCauses);
    EXPECT_LT(imc[0].cycle, std::get<0>(delivered.front()));
    ASSERT_EQ(ims.size(), 1u);
    EXPECT_EQ(ims[0].value, kRxCauses);
    EXPECT_GT(ims[0].cycle, std::get<0>(delivered.back()));
    EXPECT_EQ(r.nic.ims() & kRxCauses, kRxCauses);
    // RDT hands back each batch once: the descriptor before the next one stays the driver's.
    std::vector<std::uint32_t> rdt;
    for (const MmioAccess& a : r.writes_to(kRdt, r.booted())) rdt.push_back(a.value);
    EXPECT_EQ(rdt, (std::vector<std::uint32_t>{3, 7, 9}));
    EXPECT_EQ(r.writes_to(kIcr).size(), 0u);
    EXPECT_EQ(r.driver().stats().interrupts, 1u);
  }
}

TEST(NicDriver, AfterUnmaskingACauseThatCameWhileMaskedInterruptsAgain) {
  NicConfig nic;
  nic.budget = 64;
  KernelConfig k = nic_config("linux", nic);
  k.costs.nic_rx_frame = 2'000;  // a slow protocol input: frame 1 arrives during frame 0's
  NicRig r(std::move(k));
  r.nic.inject(5'000, frame(0));
  r.nic.inject(6'000, frame(1));
  r.rig.machine.run_until(100'000);
  EXPECT_EQ(r.frames.delivered, (std::vector<Frame>{frame(0), frame(1)}));
  EXPECT_EQ(r.writes_to(kImc, r.booted()).size(), 2u);
  EXPECT_EQ(r.driver().stats().interrupts, 2u);
}

TEST(NicDriver, NonPollingModeDrainsTheRingInOneRunAndNeverMasks) {
  for (std::string_view name : kPersonalities) {
    SCOPED_TRACE(std::string(name));
    NicConfig nic;
    nic.polling = false;
    nic.budget = 4;  // ignored without polling
    NicRig r(nic_config(name, nic));
    r.nic.set_fifo_frames(16);
    for (unsigned i = 0; i < 10; ++i) r.nic.inject(5'000, frame(i));
    r.rig.machine.run_until(100'000);
    EXPECT_EQ(r.batches(), (std::vector<unsigned>{10}));
    EXPECT_TRUE(r.writes_to(kImc, r.booted()).empty());
    EXPECT_TRUE(r.writes_to(kIms, r.booted() + 1).empty());
    EXPECT_EQ(r.frames.delivered.size(), 10u);
  }
}

TEST(NicDriver, OnTwoCpusOnlyTheNicsCpuProgramsAndServesIt) {
  for (std::string_view name : kPersonalities) {
    SCOPED_TRACE(std::string(name));
    KernelConfig k = nic_config(name);
    k.cpus = 2;
    k.platform = test_platform(2);
    k.platform.devices.push_back({"nic", kNicBase, {kNicSource}});
    k.platform.ram_base = kRamBase;
    k.platform.ram_size = kRamSize;
    k.nic.cpus = {1};
    NicRig r(std::move(k));
    std::vector<Frame> offered;
    for (unsigned i = 0; i < 12; ++i) {
      offered.push_back(frame(i));
      r.nic.inject(5'000 + 600 * i, offered.back());
    }
    r.rig.machine.run_until(100'000);
    EXPECT_EQ(r.frames.delivered, offered);
    // The boot and every handler (the ICR reads) are the NIC's CPU's; the poll runs where
    // the personality runs it: the scheduling CPU, except FreeBSD's NIC ithread, which the
    // scheduler may put on either.
    for (const MmioAccess& a : r.nic_accesses()) {
      if (a.cycle <= r.booted() || a.addr == kIcr) {
        EXPECT_EQ(a.hart, 1u);
      }
    }
    if (name != "freebsd") {
      for (const Ev& e : r.rig.trace.of(K::PacketDelivered)) EXPECT_EQ(std::get<1>(e), 1u);
    }
  }
}

// ---- transmit ----

TEST(NicDriver, EchoSendsSwappedFramesAndCleansTheTxRingUnderEachPersonality) {
  for (std::string_view name : kPersonalities) {
    SCOPED_TRACE(std::string(name));
    NicConfig nic;
    nic.echo = true;
    nic.tx_descriptors = 8;
    NicRig r(nic_config(name, nic));
    std::vector<Frame> expected;
    for (unsigned i = 0; i < 12; ++i) {
      r.nic.inject(5'000 + 1'000 * i, frame(i));
      expected.push_back(swapped(frame(i)));
    }
    r.rig.machine.run_until(100'000);
    std::vector<Frame> on_wire;
    for (const SentFrame& s : r.nic.sent()) on_wire.push_back(s.bytes);
    EXPECT_EQ(on_wire, expected);
    EXPECT_EQ(r.frames.sent, expected);
    const NicDriverStats& s = r.driver().stats();
    EXPECT_EQ(s.tx_queued, 12u);
    EXPECT_EQ(s.tx_cleaned, 12u);  // the last TXDW's poll reclaimed everything
    EXPECT_EQ(s.tx_ring_full, 0u);
    std::vector<std::uint32_t> tdt;
    for (const MmioAccess& a : r.writes_to(kTdt, r.booted())) tdt.push_back(a.value);
    std::vector<std::uint32_t> expected_tdt;
    for (unsigned i = 1; i <= 12; ++i) expected_tdt.push_back(i % 8);
    EXPECT_EQ(tdt, expected_tdt);
  }
}

TEST(NicDriver, AFullTxRingCountsTheFramesItCouldNotSend) {
  NicConfig nic;
  nic.echo = true;
  nic.polling = false;
  nic.tx_descriptors = 8;  // at most 7 in flight (TDT may not catch up with TDH)
  NicRig r(nic_config("netbsd", nic));
  r.nic.set_fifo_frames(16);
  r.nic.hold_transmit(true);
  for (unsigned i = 0; i < 10; ++i) r.nic.inject(5'000, frame(i));
  r.rig.machine.run_until(50'000);
  EXPECT_TRUE(r.nic.sent().empty());
  EXPECT_EQ(r.driver().stats().tx_queued, 7u);
  EXPECT_EQ(r.driver().stats().tx_ring_full, 3u);

  r.nic.hold_transmit(false);
  r.nic.inject(60'000, frame(10));  // brings the fake NIC to cycle 60000: the held frames go
  r.rig.machine.run_until(150'000);
  std::vector<Frame> expected;
  for (unsigned i = 0; i < 7; ++i) expected.push_back(swapped(frame(i)));
  expected.push_back(swapped(frame(10)));
  std::vector<Frame> on_wire;
  for (const SentFrame& s : r.nic.sent()) on_wire.push_back(s.bytes);
  EXPECT_EQ(on_wire, expected);
  const NicDriverStats& s = r.driver().stats();
  EXPECT_EQ(s.delivered, 11u);
  EXPECT_EQ(s.tx_queued + s.tx_ring_full, s.delivered);  // every echo sent or counted
  EXPECT_EQ(s.tx_cleaned, 8u);
}

// ---- statistics ----

TEST(NicDriver, MissedAndNoBufferFramesAreReadBackAsNicCounterEvents) {
  NicConfig nic;
  nic.rx_descriptors = 8;  // 7 free descriptors
  nic.stats_ticks = 2;
  KernelConfig k = nic_config("linux", nic);
  k.tick.period = 2'000;
  NicRig r(std::move(k));
  r.nic.set_fifo_frames(2);
  for (unsigned i = 0; i < 20; ++i) r.nic.inject(5'000, frame(i));
  r.rig.machine.run_until(100'000);

  // Frames 0..6 fill the ring, 7 and 8 wait in the FIFO (7 finds no descriptor: RNBC 1),
  // 9..19 find the FIFO full: MPC 11, RXO. The FIFO drains once RDT is written back.
  std::vector<Frame> expected;
  std::uint64_t octets = 0;
  for (unsigned i = 0; i < 9; ++i) {
    expected.push_back(frame(i));
    octets += frame(i).size() + 4;  // GORC counts the FCS
  }
  EXPECT_EQ(r.frames.delivered, expected);
  const std::map<NicCounterId, std::uint64_t> counters{
      {NicCounterId::Mpc, 11}, {NicCounterId::Rnbc, 1}, {NicCounterId::Gprc, 9}, {NicCounterId::Gorc, octets}};
  EXPECT_EQ(r.frames.counters, counters);
  const NicDriverStats& s = r.driver().stats();
  EXPECT_EQ(s.counters[static_cast<unsigned>(NicCounterId::Mpc)], 11u);
  EXPECT_EQ(s.counters[static_cast<unsigned>(NicCounterId::Rnbc)], 1u);
  // The RXO read came from the poll, before any delivery; the rest from the tick.
  const std::vector<Ev> reads = r.rig.trace.of(K::NicCounter);
  ASSERT_FALSE(reads.empty());
  EXPECT_EQ(std::get<3>(reads.front()), static_cast<std::uint32_t>(NicCounterId::Mpc));
  EXPECT_LT(std::get<0>(reads.front()), std::get<0>(r.rig.trace.of(K::PacketDelivered).front()));
}

// ---- engine errors (STATUS.RXDMAERR bit 16, TXDMAERR bit 17; docs/rtl.md) ----

// Points the buffer address of descriptor `index` of the ring at `ring` outside the RAM.
void break_buffer_address(NicRig& r, Addr ring, unsigned index) {
  constexpr std::uint32_t kOutsideRam = 0x1000;
  std::span<std::uint8_t> ram = r.rig.machine.ram();
  const std::size_t at = static_cast<std::size_t>(ring - kRamBase) + 16 * index;
  for (unsigned i = 0; i < 8; ++i)
    ram[at + i] = static_cast<std::uint8_t>(std::uint64_t{kOutsideRam} >> (8 * i));
}

std::vector<std::uint32_t> reported_errors(const NicRig& r) {
  std::vector<std::uint32_t> causes;
  for (const Ev& e : r.rig.trace.of(K::NicError)) causes.push_back(std::get<3>(e));
  return causes;
}

// The RX engine stops on the first frame: it and the next wait in the 2-frame FIFO, the
// other 8 overflow it (MPC 8, RXO). The MPC read after the RXO makes the driver read STATUS
// and report the RX DMA error, once, though a second burst overflows the FIFO again.
TEST(NicDriver, AnRxDmaErrorIsReadFromStatusAndReportedOnce) {
  NicRig r(nic_config("linux"));
  r.nic.set_fifo_frames(2);
  r.rig.machine.run_until(4'000);
  ASSERT_LT(r.booted(), 4'000u);
  break_buffer_address(r, r.driver().rx_ring(), 0);
  for (unsigned i = 0; i < 10; ++i) r.nic.inject(5'000, frame(i));
  for (unsigned i = 10; i < 15; ++i) r.nic.inject(40'000, frame(i));
  r.rig.machine.run_until(80'000);
  EXPECT_TRUE(r.frames.delivered.empty());
  EXPECT_EQ(r.frames.counters[NicCounterId::Mpc], 13u);
  EXPECT_EQ(reported_errors(r),
            std::vector<std::uint32_t>{static_cast<std::uint32_t>(NicErrorCause::RxDma)});
  const NicDriverStats& s = r.driver().stats();
  EXPECT_EQ(s.errors[static_cast<unsigned>(NicErrorCause::RxDma)], 1u);
  EXPECT_EQ(s.errors[static_cast<unsigned>(NicErrorCause::TxDma)], 0u);
}

// The TX engine stops on the first echo: nothing leaves, 7 echoes fill the 8-descriptor
// ring, and the first that finds it full makes the driver read STATUS and report the TX
// DMA error, once.
TEST(NicDriver, ATxDmaErrorIsReadFromStatusWhenTheRingFillsAndReportedOnce) {
  NicConfig nic;
  nic.echo = true;
  nic.polling = false;
  nic.tx_descriptors = 8;
  NicRig r(nic_config("freebsd", nic));
  r.nic.set_fifo_frames(16);
  r.rig.machine.run_until(4'000);
  ASSERT_LT(r.booted(), 4'000u);
  // The driver fills descriptor 0 with the first echo: hold the wire, then break its address.
  r.nic.hold_transmit(true);
  r.nic.inject(5'000, frame(0));
  r.rig.machine.run_until(20'000);
  ASSERT_EQ(r.driver().stats().tx_queued, 1u);
  break_buffer_address(r, r.driver().tx_ring(), 0);
  r.nic.hold_transmit(false);
  for (unsigned i = 1; i < 10; ++i) r.nic.inject(30'000, frame(i));
  r.rig.machine.run_until(80'000);
  EXPECT_TRUE(r.nic.sent().empty());
  const NicDriverStats& s = r.driver().stats();
  EXPECT_EQ(s.delivered, 10u);
  EXPECT_EQ(s.tx_queued, 7u);
  EXPECT_EQ(s.tx_ring_full, 3u);
  EXPECT_EQ(reported_errors(r),
            std::vector<std::uint32_t>{static_cast<std::uint32_t>(NicErrorCause::TxDma)});
  EXPECT_EQ(s.errors[static_cast<unsigned>(NicErrorCause::TxDma)], 1u);
  EXPECT_EQ(s.errors[static_cast<unsigned>(NicErrorCause::RxDma)], 0u);
}

TEST(NicDriver, FramesLongerThanTheBufferAreCountedAsLengthErrorsNotDelivered) {
  NicConfig nic;
  nic.buffer_size = 256;
  nic.stats_ticks = 1;
  KernelConfig k = nic_config("bsd43", nic);
  k.tick.period = 3'000;
  NicRig r(std::move(k));
  std::vector<Frame> fitting;
  std::uint64_t too_long = 0;
  for (unsigned i = 0; i < 10; ++i) {
    r.nic.inject(5'000 + 700 * i, frame(i));
    if (frame(i).size() <= 256)
      fitting.push_back(frame(i));
    else
      ++too_long;
  }
  ASSERT_GT(too_long, 0u);
  r.rig.machine.run_until(60'000);
  EXPECT_EQ(r.frames.delivered, fitting);
  EXPECT_EQ(r.frames.counters[NicCounterId::Rlec], too_long);
  EXPECT_EQ(r.frames.counters[NicCounterId::Gprc], fitting.size());
  EXPECT_EQ(r.frames.counters.count(NicCounterId::Mpc), 0u);  // zero reads emit nothing
}

// ---- configuration ----

bool mentions(const std::vector<std::string>& errors, const std::string& text) {
  return std::ranges::any_of(errors, [&](const std::string& e) { return e.find(text) != std::string::npos; });
}

TEST(NicDriver, ValidateConfigRejectsIllegalRingsAndBuffers) {
  EXPECT_TRUE(validate_config(nic_config("linux")).empty());
  for (unsigned n : {0u, 4u, 12u, 264u}) {
    NicConfig nic;
    nic.rx_descriptors = n;
    nic.tx_descriptors = n;
    const std::vector<std::string> e = validate_config(nic_config("linux", nic));
    EXPECT_TRUE(mentions(e, "rx_descriptors " + std::to_string(n) + " is not a legal ring length")) << n;
    EXPECT_TRUE(mentions(e, "tx_descriptors " + std::to_string(n) + " is not a legal ring length")) << n;
  }
  for (unsigned n : {8u, 256u}) {
    NicConfig nic;
    nic.rx_descriptors = n;
    nic.tx_descriptors = n;
    EXPECT_TRUE(validate_config(nic_config("linux", nic)).empty()) << n;
  }
  for (unsigned size : {0u, 300u, 4096u}) {
    NicConfig nic;
    nic.buffer_size = size;
    EXPECT_TRUE(mentions(validate_config(nic_config("linux", nic)), "buffer_size " + std::to_string(size)));
  }
  NicConfig nic;
  nic.budget = 0;
  nic.cpus = {1};
  EXPECT_TRUE(mentions(validate_config(nic_config("linux", nic)), "budget is 0"));
  EXPECT_TRUE(mentions(validate_config(nic_config("linux", nic)), "enabled on cpu 1"));
  KernelConfig none = nic_config("linux");
  none.personality = {};
  EXPECT_TRUE(mentions(validate_config(none), "personality \"none\""));
  KernelConfig small = nic_config("linux");
  small.platform.ram_size = 64 * 1024;  // 128 descriptors and 2 KiB buffers need 258 KiB
  EXPECT_TRUE(mentions(validate_config(small), "main memory has 65536"));
  KernelConfig no_device = nic_config("linux");
  no_device.platform.devices.pop_back();
  EXPECT_TRUE(mentions(validate_config(no_device), "no nic device"));
  // Without a nic: block nothing about the NIC is checked.
  KernelConfig absent = nic_config("linux", nic);
  absent.nic.present = false;
  EXPECT_TRUE(validate_config(absent).empty());
}

TEST(BumpAllocator, AlignsAndThrowsWhenExhausted) {
  BumpAllocator m(0x1000, 0x100);
  EXPECT_EQ(m.allocate(10, 1), 0x1000u);
  EXPECT_EQ(m.allocate(16, 16), 0x1010u);
  EXPECT_EQ(m.allocate(0xE0, 4), 0x1020u);  // exactly the rest
  EXPECT_THROW(m.allocate(1, 1), std::length_error);
  EXPECT_THROW(m.allocate(1, 3), std::invalid_argument);
}

}  // namespace nic_driver_test
}  // namespace irqlab::kernel::test
