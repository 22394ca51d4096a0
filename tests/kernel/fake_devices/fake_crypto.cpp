#include "fake_devices/fake_crypto.h"

#include <algorithm>
#include <array>
#include <memory>
#include <openssl/evp.h>
#include <stdexcept>

#include "machine/bus_error.h"

namespace irqlab::kernel::test {

namespace {

// The contract's register map and descriptor (docs/rtl.md, crypto).
enum : Addr {
  kId = 0x000,
  kCtrl = 0x004,
  kStatus = 0x008,
  kJrBaseLo = 0x010,
  kJrBaseHi = 0x014,
  kJrSize = 0x018,
  kJrHead = 0x01C,
  kJrTail = 0x020,
  kIntrState = 0x040,
  kIntrEnable = 0x044,
  kIntrTest = 0x048,
  kCoal = 0x050,
};
constexpr std::uint32_t kIdValue = 0x4343'3230;
constexpr std::uint32_t kEn = 1u << 0, kSrst = 1u << 1;
constexpr std::uint32_t kBusy = 1u << 0, kHaltErr = 1u << 1;
constexpr std::uint32_t kDone = 1u << 0, kErr = 1u << 1, kIntrBits = kDone | kErr;
constexpr std::uint32_t kIndexMask = 0x7FF;
constexpr unsigned kMaxJobBytes = 16384;  // soc.yaml MaxJobBytes
constexpr std::size_t kDescBytes = 64, kStatusAt = 0x30;
constexpr std::uint32_t kErrorBadOpcode = 1, kErrorBadLength = 2, kErrorDmaFault = 3;

std::uint32_t get32(std::span<const std::uint8_t> d, std::size_t at) {
  return d[at] | d[at + 1] << 8 | d[at + 2] << 16 | static_cast<std::uint32_t>(d[at + 3]) << 24;
}
void put32(std::span<std::uint8_t> d, std::size_t at, std::uint32_t v) {
  for (std::size_t i = 0; i < 4; ++i) d[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
}

// ChaCha20 (RFC 8439) of `data` in place from block `counter` on. OpenSSL carries a
// counter overflow into the nonce's first word, the engine wraps it mod 2^32: the run is
// split at the wrap.
void chacha20(std::span<const std::uint8_t, 32> key, std::span<const std::uint8_t, 12> nonce,
              std::uint32_t counter, std::span<std::uint8_t> data) {
  while (!data.empty()) {
    const std::uint64_t blocks_to_wrap = (std::uint64_t{1} << 32) - counter;
    const std::size_t run =
        static_cast<std::size_t>(std::min<std::uint64_t>(data.size(), blocks_to_wrap * 64));
    std::array<std::uint8_t, 16> iv{};
    put32(iv, 0, counter);
    std::copy(nonce.begin(), nonce.end(), iv.begin() + 4);
    const std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                              EVP_CIPHER_CTX_free);
    int out = 0;
    if (!ctx ||
        EVP_EncryptInit_ex(ctx.get(), EVP_chacha20(), nullptr, key.data(), iv.data()) != 1 ||
        EVP_EncryptUpdate(ctx.get(), data.data(), &out, data.data(), static_cast<int>(run)) != 1)
      throw std::runtime_error("FakeCrypto: OpenSSL ChaCha20 failed");
    data = data.subspan(run);
    counter = 0;  // only reached when the run ended at the wrap
  }
}

const FakeDeviceRegistration<FakeCrypto> fake_crypto_registration("crypto");

}  // namespace

FakeCrypto::FakeCrypto(const PlatformDevice&, const PlatformMap&, unsigned) {}

std::optional<std::span<std::uint8_t>> FakeCrypto::memory(std::uint64_t addr, std::size_t size) {
  if (ram_.empty()) throw std::logic_error("FakeCrypto: memory not connected");
  if (addr < ram_base_ || addr - ram_base_ > ram_.size() || size > ram_.size() - (addr - ram_base_))
    return std::nullopt;  // no RAM there: the bus answers d_error
  return ram_.subspan(static_cast<std::size_t>(addr - ram_base_), size);
}

void FakeCrypto::reset_engine() {
  head_ = tail_ = 0;
  halted_ = false;
  job_end_ = kNever;
  timer_end_ = kNever;
  coalesced_ = 0;
  ++srst_count_;
}

Cycle FakeCrypto::next_event() const { return std::min(job_end_, timer_end_); }

void FakeCrypto::advance(Cycle at) {
  while (next_event() <= at) {
    if (timer_end_ <= job_end_) {  // the coalescing timeout: DONE, the count restarts
      timer_end_ = kNever;
      coalesced_ = 0;
      intr_state_ |= kDone;
    } else {
      finish_job(job_end_);
    }
  }
}

void FakeCrypto::try_start(Cycle at) {
  if (job_end_ != kNever || (ctrl_ & kEn) == 0 || halted_ || size_ == 0 || head_ == tail_) return;
  job_end_ = at + job_cycles_;
}

void FakeCrypto::halt() {
  halted_ = true;
  intr_state_ |= kErr;
}

void FakeCrypto::count_completion(Cycle at) {
  const unsigned count = std::max(coal_ & 0xFFu, 1u);
  const Cycle timeout = coal_ >> 16;
  if (++coalesced_ >= count) {
    coalesced_ = 0;
    timer_end_ = kNever;
    intr_state_ |= kDone;
  } else if (timeout != 0 && timer_end_ == kNever) {
    timer_end_ = at + timeout;
  }
}

void FakeCrypto::finish_job(Cycle at) {
  job_end_ = kNever;
  const unsigned number = started_++;
  const auto injected = faults_.find(number);
  const auto faulty = [&](FakeCryptoFault where) {
    return injected != faults_.end() && injected->second == where;
  };
  const std::uint64_t at_desc =
      (std::uint64_t{base_lo_} & ~0x3Full) + std::uint64_t{head_} * kDescBytes;
  const auto d = memory(at_desc, kDescBytes);
  if (!d || faulty(FakeCryptoFault::DescriptorFetch)) return halt();
  const std::uint32_t ctl = get32(*d, 0x00), length = get32(*d, 0x04);
  const auto finish = [&](std::uint32_t error) {
    put32(*d, kStatusAt, 1u | error << 8);
    ++completed_;
    head_ = (head_ + 1) % size_;
  };
  if ((ctl & 0xFF) != 1 || length == 0 || length > kMaxJobBytes) {
    finish((ctl & 0xFF) != 1 ? kErrorBadOpcode : kErrorBadLength);
    intr_state_ |= kErr;
    return try_start(at);
  }
  const auto key = memory(get32(*d, 0x18) & ~3u, 32);
  const auto src = memory(get32(*d, 0x08), length);
  const auto dst = memory(get32(*d, 0x10), length);
  if (!key || !src || !dst || faulty(FakeCryptoFault::Data)) {
    put32(*d, kStatusAt, 1u | kErrorDmaFault << 8);
    return halt();
  }
  std::vector<std::uint8_t> data(src->begin(), src->end());
  chacha20(std::span<const std::uint8_t, 32>(key->data(), 32),
           std::span<const std::uint8_t, 12>(d->data() + 0x20, 12), get32(*d, 0x2C), data);
  std::ranges::copy(data, dst->begin());
  if (faulty(FakeCryptoFault::StatusWrite)) return halt();
  finish(0);
  if (ctl & (1u << 8)) count_completion(at);
  try_start(at);
}

std::uint32_t FakeCrypto::access(const FakeAccess& a) {
  const std::uint32_t v = a.value;
  switch (a.offset) {
    case kId:
      return kIdValue;
    case kCtrl:
      if (a.write) {
        if (v & kSrst) reset_engine();
        ctrl_ = v & kEn;
        try_start(a.at);
      }
      return ctrl_;
    case kStatus:
      return (job_end_ != kNever ? kBusy : 0) | (halted_ ? kHaltErr : 0);
    case kJrBaseLo:
      if (a.write) base_lo_ = v & ~0x3Fu;
      return base_lo_;
    case kJrBaseHi:
      if (a.write) base_hi_ = v;
      return base_hi_;
    case kJrSize:
      if (a.write) size_ = std::min(v & kIndexMask, 1024u);
      return size_;
    case kJrHead:
      return head_;
    case kJrTail:
      if (a.write) {
        tail_ = v & kIndexMask;
        try_start(a.at);
      }
      return tail_;
    case kIntrState:
      if (a.write) intr_state_ &= ~(v & kIntrBits);
      return intr_state_;
    case kIntrEnable:
      if (a.write) intr_enable_ = v & kIntrBits;
      return intr_enable_;
    case kIntrTest:
      if (a.write) intr_state_ |= v & kIntrBits;
      return 0;
    case kCoal:
      if (a.write) coal_ = v & 0xFFFF'00FFu;
      return coal_;
  }
  throw BusError(a.addr, a.write, "no such crypto register");
}

}  // namespace irqlab::kernel::test
