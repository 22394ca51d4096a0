#include "fake_devices/fake_nic.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "machine/bus_error.h"

namespace irqlab::kernel::test {

namespace {

// The 8254x offsets and bits (docs/rtl.md, NIC).
enum : Addr {
  kCtrl = 0x0000, kStatus = 0x0008, kIcr = 0x00C0, kItr = 0x00C4, kIcs = 0x00C8, kIms = 0x00D0,
  kImc = 0x00D8, kRctl = 0x0100, kTctl = 0x0400, kRdbal = 0x2800, kRdbah = 0x2804, kRdlen = 0x2808,
  kRdh = 0x2810, kRdt = 0x2818, kRdtr = 0x2820, kRadv = 0x282C, kTdbal = 0x3800, kTdbah = 0x3804,
  kTdlen = 0x3808, kTdh = 0x3810, kTdt = 0x3818, kMpc = 0x4010, kRlec = 0x4040, kGprc = 0x4074,
  kGptc = 0x4080, kGorcl = 0x4088, kGotcl = 0x4090, kRnbc = 0x40A0, kRal0 = 0x5400, kRah0 = 0x5404,
};
constexpr std::uint32_t kCtrlRst = 1u << 26, kStatusLu = 1u << 1, kStatusRxDmaErr = 1u << 16,
                        kStatusTxDmaErr = 1u << 17;
constexpr std::uint32_t kTxdw = 1u << 0, kTxqe = 1u << 1, kRxdmt0 = 1u << 4, kRxo = 1u << 6, kRxt0 = 1u << 7;
constexpr std::uint32_t kRctlEn = 1u << 1, kRctlSecrc = 1u << 26, kTctlEn = 1u << 1;
constexpr std::uint8_t kDd = 1u << 0, kEop = 1u << 1, kCmdRs = 1u << 3;
constexpr std::size_t kDesc = 16;
constexpr std::uint32_t kFcsBytes = 4;

// A ring length the NIC accepts: a multiple of 128 bytes, at most 256 descriptors.
unsigned descriptors(std::uint32_t len) {
  return len == 0 || len % 128 != 0 || len / kDesc > 256 ? 0 : len / kDesc;
}

std::uint64_t le(std::span<const std::uint8_t> b) {
  std::uint64_t v = 0;
  for (std::size_t i = b.size(); i-- > 0;) v = v << 8 | b[i];
  return v;
}

const FakeDeviceRegistration<FakeNic> fake_nic_registration("nic");

}  // namespace

FakeNic::FakeNic(const PlatformDevice&, const PlatformMap&, unsigned) {}

void FakeNic::reset() {
  icr_ = ims_ = rctl_ = tctl_ = itr_ = rdtr_ = radv_ = ral_ = rah_ = 0;
  rdba_ = tdba_ = 0;
  rdlen_ = rdh_ = rdt_ = tdlen_ = tdh_ = tdt_ = 0;
  std::fill(std::begin(counters_), std::end(counters_), 0);
  fifo_.clear();
  head_counted_rnbc_ = false;
  dma_errors_ = 0;
}

std::optional<std::span<std::uint8_t>> FakeNic::memory(std::uint64_t addr, std::size_t size) {
  if (ram_.empty()) throw std::logic_error("FakeNic: DMA with no memory connected");
  if (addr < ram_base_ || addr - ram_base_ > ram_.size() || size > ram_.size() - (addr - ram_base_))
    return std::nullopt;
  return ram_.subspan(static_cast<std::size_t>(addr - ram_base_), size);
}

unsigned FakeNic::buffer_bytes() const { return 2048u >> (rctl_ >> 16 & 3); }

Cycle FakeNic::next_event() const { return arriving_.empty() ? kNever : arriving_.begin()->first; }

void FakeNic::advance(Cycle at) {
  while (!arriving_.empty() && arriving_.begin()->first <= at) {
    std::vector<std::uint8_t> frame = std::move(arriving_.begin()->second);
    arriving_.erase(arriving_.begin());
    if ((rctl_ & kRctlEn) == 0) {
      ++ignored_;
    } else if (frame.size() > buffer_bytes()) {
      ++counters_[kLengthErrors];
    } else if (fifo_.size() == fifo_frames_) {
      ++counters_[kMissed];
      icr_ |= kRxo;
    } else {
      fifo_.push_back(std::move(frame));
    }
    receive_dma();  // frames reach the MAC one after the other, even at one cycle
  }
  receive_dma();
  transmit_dma(at);
}

void FakeNic::receive_dma() {
  const unsigned n = descriptors(rdlen_);
  while (!fifo_.empty() && (rctl_ & kRctlEn) != 0 && (dma_errors_ & kStatusRxDmaErr) == 0) {
    if (n == 0 || rdh_ == rdt_ || rdh_ >= n) {
      if (!head_counted_rnbc_) ++counters_[kNoBuffer];
      head_counted_rnbc_ = true;
      return;
    }
    const std::vector<std::uint8_t>& frame = fifo_.front();
    const auto descriptor = memory(rdba_ + rdh_ * kDesc, kDesc);
    const auto buffer =
        descriptor ? memory(le(descriptor->subspan(0, 8)), frame.size()) : std::nullopt;
    if (!buffer) {  // the engine stops; the frame stays in the FIFO
      dma_errors_ |= kStatusRxDmaErr;
      return;
    }
    std::span<std::uint8_t> d = *descriptor;
    std::ranges::copy(frame, buffer->begin());
    d[8] = static_cast<std::uint8_t>(frame.size());
    d[9] = static_cast<std::uint8_t>(frame.size() >> 8);
    d[12] = kDd | kEop;
    ++counters_[kGoodRx];
    counters_[kRxOctets] += static_cast<std::uint32_t>(frame.size()) + kFcsBytes;
    fifo_.pop_front();
    head_counted_rnbc_ = false;
    rdh_ = (rdh_ + 1) % n;
    icr_ |= kRxt0;
    const unsigned free = (rdt_ + n - rdh_) % n;
    if (free == n >> ((rctl_ >> 8 & 3) + 1)) icr_ |= kRxdmt0;
  }
}

void FakeNic::transmit_dma(Cycle at) {
  const unsigned n = descriptors(tdlen_);
  if ((tctl_ & kTctlEn) == 0 || n == 0 || holding_tx_ || (dma_errors_ & kStatusTxDmaErr) != 0)
    return;
  while (tdh_ != tdt_ && tdh_ < n) {
    const auto descriptor = memory(tdba_ + tdh_ * kDesc, kDesc);
    const auto buffer =
        descriptor ? memory(le(descriptor->subspan(0, 8)),
                            std::size_t{(*descriptor)[8]} | std::size_t{(*descriptor)[9]} << 8)
                   : std::nullopt;
    if (!buffer) {  // the engine stops; TDH stays on the descriptor
      dma_errors_ |= kStatusTxDmaErr;
      return;
    }
    std::span<std::uint8_t> d = *descriptor;
    const std::span<std::uint8_t> bytes = *buffer;
    const std::size_t length = bytes.size();
    sent_.push_back({at, {bytes.begin(), bytes.end()}});
    ++counters_[kGoodTx];
    counters_[kTxOctets] += static_cast<std::uint32_t>(length) + kFcsBytes;
    if (d[11] & kCmdRs) {
      d[12] |= kDd;
      icr_ |= kTxdw;
    }
    tdh_ = (tdh_ + 1) % n;
  }
  if (tdh_ == tdt_) icr_ |= kTxqe;
}

std::uint32_t FakeNic::access(const FakeAccess& a) {
  const std::uint32_t v = a.value;
  const auto reg = [&](std::uint32_t& r) {
    if (a.write) r = v;
    return r;
  };
  const auto counter = [&](Counter c) { return a.write ? 0 : std::exchange(counters_[c], 0); };
  switch (a.offset) {
    case kCtrl:
      if (a.write && (v & kCtrlRst) != 0) {
        reset();
        reset_until_ = a.at + kResetCycles;
      }
      return a.at < reset_until_ ? kCtrlRst : 0;
    case kStatus:
      return kStatusLu | dma_errors_;
    case kIcr:
      if (a.write) return icr_ &= ~v;
      return std::exchange(icr_, 0);
    case kIcs: return icr_ |= a.write ? v : 0;
    case kIms: return ims_ |= a.write ? v : 0;
    case kImc:
      if (a.write) ims_ &= ~v;
      return 0;
    case kItr: return reg(itr_);
    case kRdtr: return reg(rdtr_);
    case kRadv: return reg(radv_);
    case kRctl:
      if (a.write && (v & kRctlEn) != 0 && (v & kRctlSecrc) == 0)
        throw std::logic_error("FakeNic models RCTL.SECRC = 1 only");
      reg(rctl_);
      receive_dma();
      return rctl_;
    case kTctl:
      reg(tctl_);
      transmit_dma(a.at);
      return tctl_;
    case kRdbal:
      if (a.write) rdba_ = (rdba_ & ~0xFFFFFFFFull) | v;
      return static_cast<std::uint32_t>(rdba_);
    case kRdbah:
      if (a.write) rdba_ = (rdba_ & 0xFFFFFFFFull) | std::uint64_t{v} << 32;
      return static_cast<std::uint32_t>(rdba_ >> 32);
    case kRdlen: return reg(rdlen_);
    case kRdh: return reg(rdh_);
    case kRdt:
      reg(rdt_);
      receive_dma();
      return rdt_;
    case kTdbal:
      if (a.write) tdba_ = (tdba_ & ~0xFFFFFFFFull) | v;
      return static_cast<std::uint32_t>(tdba_);
    case kTdbah:
      if (a.write) tdba_ = (tdba_ & 0xFFFFFFFFull) | std::uint64_t{v} << 32;
      return static_cast<std::uint32_t>(tdba_ >> 32);
    case kTdlen: return reg(tdlen_);
    case kTdh: return reg(tdh_);
    case kTdt:
      reg(tdt_);
      transmit_dma(a.at);
      return tdt_;
    case kMpc: return counter(kMissed);
    case kRlec: return counter(kLengthErrors);
    case kRnbc: return counter(kNoBuffer);
    case kGprc: return counter(kGoodRx);
    case kGptc: return counter(kGoodTx);
    case kGorcl: return counter(kRxOctets);
    case kGotcl: return counter(kTxOctets);
    case kRal0: return reg(ral_);
    case kRah0: return reg(rah_);
  }
  throw BusError(a.addr, a.write, "no such NIC register");
}

}  // namespace irqlab::kernel::test
