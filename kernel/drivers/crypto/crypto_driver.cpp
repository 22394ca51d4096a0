#include "drivers/crypto/crypto_driver.h"

#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include "drivers/crypto/crypto_limits.h"
#include "drivers/driver_registry.h"
#include "drivers/regs/crypto_regs.h"
#include "kernel.h"

namespace irqlab::kernel {

namespace {

const DriverRegistration<CryptoEngineDriver> crypto_registration("crypto");

namespace engine_reg = regs::crypto;

namespace engine_bit {
constexpr std::uint32_t kCtrlEn = bit_at(engine_reg::kCtrlEnShift),
                        kCtrlSrst = bit_at(engine_reg::kCtrlSrstShift);
constexpr std::uint32_t kHaltErr = bit_at(engine_reg::kStatusHaltErrShift);
constexpr std::uint32_t kDone = bit_at(engine_reg::kIntrStateDoneShift),
                        kErr = bit_at(engine_reg::kIntrStateErrShift);
}  // namespace engine_bit

// The 64-byte job descriptor (docs/rtl.md, crypto), little-endian words at these offsets.
namespace desc {
constexpr std::size_t kCtl = 0x00, kLength = 0x04, kSrc = 0x08, kDst = 0x10, kKey = 0x18,
                      kNonce = 0x20, kCounter = 0x2C, kStatus = 0x30, kCookie = 0x38;
constexpr std::uint32_t kOpcodeChacha20 = 1, kIrqOnDone = 1u << 8;
constexpr std::uint32_t kStatusDone = 1u << 0;
constexpr unsigned kStatusErrorShift = 8;
}  // namespace desc

constexpr Addr kJobRingAlign = 64;  // JR_BASE bits 5:0 read 0
constexpr Addr kSlotAlign = 64;
constexpr Addr kKeyAlign = 4;  // KEY bits 1:0 are ignored

void put32(std::span<std::uint8_t> d, std::size_t at, std::uint32_t v) {
  for (std::size_t i = 0; i < 4; ++i) d[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
}
void put64(std::span<std::uint8_t> d, std::size_t at, std::uint64_t v) {
  put32(d, at, static_cast<std::uint32_t>(v));
  put32(d, at + 4, static_cast<std::uint32_t>(v >> 32));
}
std::uint32_t get32(std::span<const std::uint8_t> d, std::size_t at) {
  return d[at] | d[at + 1] << 8 | d[at + 2] << 16 | static_cast<std::uint32_t>(d[at + 3]) << 24;
}
std::uint64_t get64(std::span<const std::uint8_t> d, std::size_t at) {
  return get32(d, at) | std::uint64_t{get32(d, at + 4)} << 32;
}

// STATUS.ERROR -> crp_etype. Codes the engine does not define count as a failed job.
CryptoError error_of(std::uint32_t status) {
  switch (status >> desc::kStatusErrorShift & 0xFF) {
    case 0:
      return CryptoError::None;
    case 1:
      return CryptoError::BadOpcode;
    case 2:
      return CryptoError::BadLength;
    default:
      return CryptoError::DmaFault;
  }
}

// Holds a spin mutex for a scope (mutex_spin_enter / mutex_spin_exit).
class SpinGuard {
 public:
  explicit SpinGuard(SpinMutex& m) : mutex_(m) { mutex_.enter(); }
  ~SpinGuard() { mutex_.exit(); }
  SpinGuard(const SpinGuard&) = delete;
  SpinGuard& operator=(const SpinGuard&) = delete;

 private:
  SpinMutex& mutex_;
};

}  // namespace

CryptoEngineDriver::CryptoEngineDriver(Kernel& kernel, const PlatformDevice& device)
    : Driver(kernel, device),
      machine_(kernel.machine()),
      config_(kernel.config().crypto),
      base_(device.base),
      boot_cpu_(config_.cpus.empty() ? 0 : config_.cpus.front()) {}

void CryptoEngineDriver::attach() {
  if (!config_.present) return;
  BumpAllocator& memory = kernel_.dma_memory();
  const unsigned n = config_.ring_entries;
  ring_ = memory.allocate(Addr{n} * kCryptoDescriptorBytes, kJobRingAlign);
  slots_ = memory.allocate(Addr{n} * config_.max_job_bytes, kSlotAlign);
  keys_ = memory.allocate(Addr{kCryptoKeyTableSessions} * kCryptoKeyBytes, kKeyAlign);
  jobs_.assign(n, nullptr);
  ring_lock_ = std::make_unique<SpinMutex>(kernel_, "crypto_ring",
                                           kernel_.spl().device_level(config_.priority));
  scratch_.reserve(std::max<std::size_t>(config_.max_job_bytes, kCryptoDescriptorBytes));
  serve(
      device().sources.at(0), config_.priority, [this](unsigned) { interrupt(); }, config_.cpus);
  kernel_.crypto().register_driver(*this);
}

void CryptoEngineDriver::boot_cpu(unsigned cpu) {
  if (!config_.present || cpu != boot_cpu_) return;
  DeferredSpec bottom_half{"crypto_complete",      DeferLevel::Net,       false, true,
                           [this] { complete(); }, device().sources.at(0)};
  bottom_half.bottom_half = BottomHalf::OrInline;
  bottom_half_ = &kernel_.establish_deferred(std::move(bottom_half));
  booted_ = true;  // sessions opened from here on write their key themselves
  for (CryptoSessionId id = 1; id <= keys_by_session_.size(); ++id) write_key(id);
  program_engine();
}

void CryptoEngineDriver::program_engine() {
  write(engine_reg::kCtrl, engine_bit::kCtrlSrst);
  write(engine_reg::kJrBaseLo, low_word(ring_));
  write(engine_reg::kJrBaseHi, high_word(ring_));
  write(engine_reg::kJrSize, config_.ring_entries);
  write(engine_reg::kCoal, config_.coalesce_count << engine_reg::kCoalCountShift |
                               config_.coalesce_timeout << engine_reg::kCoalTimeoutShift);
  write(engine_reg::kIntrEnable, engine_bit::kDone | engine_bit::kErr);
  write(engine_reg::kCtrl, engine_bit::kCtrlEn);
}

void CryptoEngineDriver::new_session(CryptoSessionId id, const CryptoKey& key) {
  if (id > kCryptoKeyTableSessions)
    kernel_.panic("crypto: session " + std::to_string(id) + " does not fit the key table (" +
                  std::to_string(kCryptoKeyTableSessions) + " sessions)");
  if (keys_by_session_.size() < id) keys_by_session_.resize(id);
  keys_by_session_[id - 1] = key;
  if (booted_) write_key(id);
}

void CryptoEngineDriver::write_key(CryptoSessionId id) {
  machine_.memory_write(key_address(id), keys_by_session_[id - 1]);
}

bool CryptoEngineDriver::process(CryptoRequest& request) {
  SpinGuard ring(*ring_lock_);
  if (outstanding_ == config_.ring_entries - 1) {
    ++stats_.ring_full;
    return false;
  }
  fill(request);
  ++stats_.submitted;
  write(engine_reg::kJrTail, tail_);
  return true;
}

void CryptoEngineDriver::fill(CryptoRequest& request) {
  const unsigned index = tail_;
  tail_ = next(tail_);
  ++outstanding_;
  jobs_[index] = &request;
  machine_.memory_write(slot(index), request.data);
  std::array<std::uint8_t, kCryptoDescriptorBytes> d{};
  put32(d, desc::kCtl, desc::kOpcodeChacha20 | desc::kIrqOnDone);
  put32(d, desc::kLength, static_cast<std::uint32_t>(request.data.size()));
  put64(d, desc::kSrc, slot(index));
  put64(d, desc::kDst, slot(index));
  put64(d, desc::kKey, key_address(request.session));
  std::copy(request.nonce.begin(), request.nonce.end(),
            d.begin() + desc::kNonce);  // LE words = bytes
  put32(d, desc::kCounter, request.counter);
  put64(d, desc::kCookie, request.id);
  machine_.memory_write(descriptor(index), d);
  machine_.consume(kernel_.costs().crypto_job_setup);
}

void CryptoEngineDriver::interrupt() {
  ++stats_.interrupts;
  const std::uint32_t state = read(engine_reg::kIntrState);
  if (state == 0) return;  // nothing of ours (the line fell before the claim)
  write(engine_reg::kIntrState, state);
  if (state & engine_bit::kErr) error_reported_ = true;
  bottom_half_->schedule();
}

void CryptoEngineDriver::complete() {
  if (busy_) {
    again_ = true;
    return;
  }
  busy_ = true;
  do {
    again_ = false;
    retire_done();
    if (!std::exchange(error_reported_, false) ||
        (read(engine_reg::kStatus) & engine_bit::kHaltErr) == 0)
      continue;
    if (CryptoRequest* failed = recover()) retire(*failed);
  } while (again_);
  busy_ = false;
  kernel_.crypto().unblock();
}

void CryptoEngineDriver::retire_done() {
  // Until a look at the ring finds nothing done: jobs the engine finished while the
  // callbacks ran are taken in this pass, before their (maybe coalesced) interrupt.
  for (;;) {
    std::vector<CryptoRequest*> done;
    {
      SpinGuard ring(*ring_lock_);
      done = take_done();
    }
    if (done.empty()) return;
    for (CryptoRequest* request : done) retire(*request);
  }
}

std::vector<CryptoRequest*> CryptoEngineDriver::take_done() {
  std::vector<CryptoRequest*> done;
  std::array<std::uint8_t, kCryptoDescriptorBytes> d{};
  while (outstanding_ != 0) {
    machine_.memory_read(descriptor(head_), d);
    const std::uint32_t status = get32(d, desc::kStatus);
    if ((status & desc::kStatusDone) == 0) break;
    CryptoRequest& request = *jobs_[head_];
    if (get64(d, desc::kCookie) != request.id)
      kernel_.panic("crypto: ring entry " + std::to_string(head_) + " holds cookie " +
                    std::to_string(get64(d, desc::kCookie)) + ", expected request " +
                    std::to_string(request.id));
    request.error = error_of(status);
    if (request.error == CryptoError::None) machine_.memory_read(slot(head_), request.data);
    jobs_[head_] = nullptr;
    head_ = next(head_);
    --outstanding_;
    done.push_back(&request);
  }
  return done;
}

void CryptoEngineDriver::retire(CryptoRequest& request) {
  ++stats_.retired;
  if (request.error != CryptoError::None) ++stats_.errors;
  kernel_.crypto().done(request);
}

CryptoRequest* CryptoEngineDriver::recover() {
  ++stats_.halts;
  SpinGuard ring(*ring_lock_);
  CryptoRequest* failed = nullptr;
  // Every job before JR_HEAD wrote its STATUS and was retired by the walk; the one at
  // JR_HEAD is still outstanding unless the engine wrote its STATUS (a data DMA fault).
  if (outstanding_ != 0 && head_ == read(engine_reg::kJrHead)) {
    failed = jobs_[head_];
    failed->error = CryptoError::DmaFault;
    jobs_[head_] = nullptr;
    head_ = next(head_);
    --outstanding_;
  }
  // The jobs behind it never started: collect them in order and write them again.
  std::vector<CryptoRequest*> behind;
  for (unsigned i = head_, k = 0; k < outstanding_; i = next(i), ++k) {
    behind.push_back(jobs_[i]);
    jobs_[i] = nullptr;
  }
  head_ = tail_ = 0;
  outstanding_ = 0;
  program_engine();
  for (CryptoRequest* request : behind) {
    fill(*request);
    ++stats_.submitted;
    ++stats_.resubmitted;
  }
  if (!behind.empty()) write(engine_reg::kJrTail, tail_);
  return failed;
}

}  // namespace irqlab::kernel
