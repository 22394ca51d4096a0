#include "drivers/nic/nic_driver.h"

#include <algorithm>
#include <limits>
#include <string>
#include <utility>

#include "drivers/driver_registry.h"
#include "drivers/regs/nic_regs.h"
#include "kernel.h"
#include "net/net_stack.h"

namespace irqlab::kernel {

namespace {

const DriverRegistration<NicDriver> nic_registration("nic");

namespace reg = regs::nic;

namespace bit {
constexpr std::uint32_t kCtrlRst = bit_at(reg::kCtrlRstShift);
constexpr std::uint32_t kRahAv = bit_at(reg::kRah0AvShift);
constexpr std::uint32_t kStatusRxDmaErr = bit_at(reg::kStatusRxdmaerrShift),
                        kStatusTxDmaErr = bit_at(reg::kStatusTxdmaerrShift);
// ICR / IMS / IMC causes (same bit positions in the three registers)
constexpr std::uint32_t kTxdw = bit_at(reg::kIcrTxdwShift), kLsc = bit_at(reg::kIcrLscShift),
                        kRxdmt0 = bit_at(reg::kIcrRxdmt0Shift), kRxo = bit_at(reg::kIcrRxoShift),
                        kRxt0 = bit_at(reg::kIcrRxt0Shift);
constexpr std::uint32_t kRctlEn = bit_at(reg::kRctlEnShift), kRctlBam = bit_at(reg::kRctlBamShift),
                        kRctlSecrc = bit_at(reg::kRctlSecrcShift);
constexpr unsigned kRctlBsizeShift = reg::kRctlBsizeShift;
constexpr std::uint32_t kTctlEn = bit_at(reg::kTctlEnShift), kTctlPsp = bit_at(reg::kTctlPspShift);
// legacy TX descriptor CMD, RX/TX descriptor status (memory, not registers)
constexpr std::uint8_t kCmdEop = 1u << 0, kCmdIfcs = 1u << 1, kCmdRs = 1u << 3;
constexpr std::uint8_t kStatusDd = 1u << 0;
}  // namespace bit

constexpr std::uint32_t kRxCauses = bit::kRxt0 | bit::kRxo | bit::kRxdmt0;
constexpr std::uint32_t kEnabledCauses = kRxCauses | bit::kTxdw | bit::kLsc;

// Legacy descriptors, 16 bytes, little endian: buffer address 0..7, length 8..9, then
// RX: checksum 10..11, status 12, errors 13; TX: CSO 10, CMD 11, status 12.
constexpr Addr kDescriptorBytes = 16;
constexpr std::size_t kLength = 8, kTxCmd = 11, kStatus = 12;
using Descriptor = std::array<std::uint8_t, kDescriptorBytes>;

constexpr Addr kRingAlign = 128;  // RDLEN/TDLEN granularity; the base needs only 16
constexpr Addr kBufferAlign = 16;
// CTRL.RST self-clears within microseconds; a NIC that never clears it is broken.
constexpr unsigned kResetPolls = 1000;

constexpr std::size_t kMacBytes = 6;

// Statistics registers, by NicCounterId.
constexpr std::array<Addr, kNicCounterCount> kCounterRegs{reg::kMpc,  reg::kRlec, reg::kRnbc, reg::kGprc,
                                                          reg::kGptc, reg::kGorcl, reg::kGotcl};

void put_address(Descriptor& d, Addr a) {
  for (std::size_t i = 0; i < 8; ++i) d[i] = static_cast<std::uint8_t>(a >> (8 * i));
}

std::uint32_t bsize_field(unsigned buffer_size) {
  switch (buffer_size) {
    case 1024: return 1;
    case 512: return 2;
    case 256: return 3;
    default: return 0;  // 2048 (validate_config admits no other size)
  }
}

}  // namespace

NicDriver::NicDriver(Kernel& kernel, const PlatformDevice& device)
    : Driver(kernel, device),
      machine_(kernel.machine()),
      config_(kernel.config().nic),
      base_(device.base),
      boot_cpu_(config_.cpus.empty() ? 0 : config_.cpus.front()) {}

void NicDriver::attach() {
  if (!config_.present) return;
  BumpAllocator& memory = kernel_.dma_memory();
  rx_ring_ = memory.allocate(config_.rx_descriptors * kDescriptorBytes, kRingAlign);
  tx_ring_ = memory.allocate(config_.tx_descriptors * kDescriptorBytes, kRingAlign);
  rx_buffers_ = memory.allocate(Addr{config_.rx_descriptors} * config_.buffer_size, kBufferAlign);
  tx_buffers_ = memory.allocate(Addr{config_.tx_descriptors} * config_.buffer_size, kBufferAlign);
  frame_.reserve(config_.buffer_size);
  serve(device().sources.at(0), config_.priority, [this](unsigned) { interrupt(); }, config_.cpus);
  if (config_.stats_ticks != 0)
    kernel_.on_tick([this](unsigned cpu) {
      if (cpu != boot_cpu_ || ++ticks_ < config_.stats_ticks) return;
      ticks_ = 0;
      read_counters();
    });
}

void NicDriver::boot_cpu(unsigned cpu) {
  if (!config_.present || cpu != boot_cpu_) return;
  poll_work_ =
      &kernel_.establish_deferred({"nic_poll", DeferLevel::Net, false, true, [this] { poll(); },
                                   device().sources.at(0), BottomHalf::OrDeferred});
  reset();
  write(reg::kRal0, low_word(config_.mac));
  write(reg::kRah0, (high_word(config_.mac) & 0xFFFF) | bit::kRahAv);
  setup_rings();
  write(reg::kItr, config_.itr);
  write(reg::kRdtr, config_.rdtr);
  write(reg::kRadv, config_.radv);
  write(reg::kIms, kEnabledCauses);
  write(reg::kTctl, bit::kTctlEn | bit::kTctlPsp);
  write(reg::kRctl, bit::kRctlEn | bit::kRctlBam | bsize_field(config_.buffer_size) << bit::kRctlBsizeShift |
                        bit::kRctlSecrc);
}

void NicDriver::reset() {
  write(reg::kCtrl, bit::kCtrlRst);
  for (unsigned polls = 0; read(reg::kCtrl) & bit::kCtrlRst; ++polls) {
    if (polls == kResetPolls) kernel_.panic("nic: CTRL.RST did not self-clear");
    machine_.consume(kernel_.costs().spin_iteration);
  }
}

void NicDriver::setup_rings() {
  std::vector<std::uint8_t> ring(config_.rx_descriptors * kDescriptorBytes);
  for (unsigned i = 0; i < config_.rx_descriptors; ++i) {
    Descriptor d{};
    put_address(d, rx_buffers_ + Addr{i} * config_.buffer_size);
    std::copy(d.begin(), d.end(), ring.begin() + i * kDescriptorBytes);
  }
  machine_.memory_write(rx_ring_, ring);
  write(reg::kRdbal, low_word(rx_ring_));
  write(reg::kRdbah, high_word(rx_ring_));
  write(reg::kRdlen, static_cast<std::uint32_t>(ring.size()));
  write(reg::kRdh, 0);
  write(reg::kRdt, config_.rx_descriptors - 1);

  ring.assign(config_.tx_descriptors * kDescriptorBytes, 0);
  machine_.memory_write(tx_ring_, ring);
  write(reg::kTdbal, low_word(tx_ring_));
  write(reg::kTdbah, high_word(tx_ring_));
  write(reg::kTdlen, static_cast<std::uint32_t>(ring.size()));
  write(reg::kTdh, 0);
  write(reg::kTdt, 0);
}

void NicDriver::interrupt() {
  ++stats_.interrupts;
  const std::uint32_t icr = read(reg::kIcr);
  if (icr == 0) return;  // nothing of ours (the line fell before the claim)
  if (icr & bit::kRxo) counters_due_ = true;
  if (config_.polling) write(reg::kImc, kRxCauses);
  poll_work_->schedule();
}

void NicDriver::poll() {
  ++stats_.polls;
  if (poll_busy_) {
    poll_again_ = true;
    return;
  }
  poll_busy_ = true;
  clean_tx();
  if (counters_due_) {
    counters_due_ = false;
    read_counters();
  }
  const unsigned limit = config_.polling ? config_.budget : std::numeric_limits<unsigned>::max();
  const unsigned done = receive(limit);
  poll_busy_ = false;
  const bool asked_again = std::exchange(poll_again_, false);
  if ((config_.polling && done == limit) || asked_again)
    poll_work_->schedule();  // stays on the poll list; RX causes stay masked
  else if (config_.polling)
    write(reg::kIms, kRxCauses);
}

unsigned NicDriver::receive(unsigned limit) {
  const unsigned n = config_.rx_descriptors;
  const CostProfile& costs = kernel_.costs();
  unsigned done = 0;
  while (done < limit) {
    const Addr at = rx_ring_ + Addr{rx_next_} * kDescriptorBytes;
    Descriptor d{};
    machine_.memory_read(at, d);
    if ((d[kStatus] & bit::kStatusDd) == 0) break;
    const std::size_t length = std::min<std::size_t>(d[kLength] | d[kLength + 1] << 8, config_.buffer_size);
    frame_.resize(length);
    machine_.memory_read(rx_buffers_ + Addr{rx_next_} * config_.buffer_size, frame_);
    machine_.consume(costs.nic_rx_frame);
    kernel_.tracer().emit_frame(machine_.now(), machine_.cpu_id(), TraceKind::PacketDelivered,
                                static_cast<std::uint32_t>(length), 0, frame_);
    ++stats_.delivered;
    if (kernel_.config().ipsec.present) kernel_.net().ether_input(frame_);
    if (config_.echo) {
      if (frame_.size() >= 2 * kMacBytes)
        std::swap_ranges(frame_.begin(), frame_.begin() + kMacBytes, frame_.begin() + kMacBytes);
      transmit(frame_);
    }
    Descriptor fresh{};
    put_address(fresh, rx_buffers_ + Addr{rx_next_} * config_.buffer_size);
    machine_.memory_write(at, fresh);
    machine_.consume(costs.nic_refill);
    rx_next_ = (rx_next_ + 1) % n;
    ++done;
  }
  if (done != 0) write(reg::kRdt, (rx_next_ + n - 1) % n);  // the one before the next stays ours
  return done;
}

void NicDriver::transmit(std::span<const std::uint8_t> frame) {
  const unsigned n = config_.tx_descriptors;
  if (tx_in_flight_ == n - 1) clean_tx();
  if (tx_in_flight_ == n - 1) {  // TDT may not catch up with TDH: the ring is full
    ++stats_.tx_ring_full;
    check_engine_errors();  // a TX engine stopped by a DMA error never empties it
    return;
  }
  const Addr buffer = tx_buffers_ + Addr{tx_next_} * config_.buffer_size;
  machine_.memory_write(buffer, frame);
  Descriptor d{};
  put_address(d, buffer);
  d[kLength] = static_cast<std::uint8_t>(frame.size());
  d[kLength + 1] = static_cast<std::uint8_t>(frame.size() >> 8);
  d[kTxCmd] = bit::kCmdEop | bit::kCmdIfcs | bit::kCmdRs;
  machine_.memory_write(tx_ring_ + Addr{tx_next_} * kDescriptorBytes, d);
  tx_next_ = (tx_next_ + 1) % n;
  ++tx_in_flight_;
  write(reg::kTdt, tx_next_);
  kernel_.tracer().emit_frame(machine_.now(), machine_.cpu_id(), TraceKind::PacketSent,
                              static_cast<std::uint32_t>(frame.size()), 0, frame);
  ++stats_.tx_queued;
}

void NicDriver::clean_tx() {
  while (tx_in_flight_ != 0) {
    const Addr at = tx_ring_ + Addr{tx_clean_} * kDescriptorBytes;
    Descriptor d{};
    machine_.memory_read(at, d);
    if ((d[kStatus] & bit::kStatusDd) == 0) break;
    machine_.memory_write(at, Descriptor{});
    machine_.consume(kernel_.costs().nic_tx_clean);
    tx_clean_ = (tx_clean_ + 1) % config_.tx_descriptors;
    --tx_in_flight_;
    ++stats_.tx_cleaned;
  }
}

void NicDriver::read_counters() {
  for (unsigned id = 0; id < kNicCounterCount; ++id) {
    const std::uint32_t value = read(kCounterRegs[id]);
    if (value == 0) continue;
    stats_.counters[id] += value;
    kernel_.tracer().emit(machine_.now(), machine_.cpu_id(), TraceKind::NicCounter, id, value);
    // An RX engine stopped by a DMA error leaves the FIFO full: overflows are its symptom.
    if (id == static_cast<unsigned>(NicCounterId::Mpc)) check_engine_errors();
  }
}

void NicDriver::check_engine_errors() {
  const std::uint32_t status = read(reg::kStatus);
  const std::array<std::pair<std::uint32_t, NicErrorCause>, kNicErrorCauseCount> causes{
      {{bit::kStatusRxDmaErr, NicErrorCause::RxDma}, {bit::kStatusTxDmaErr, NicErrorCause::TxDma}}};
  for (const auto& [status_bit, cause] : causes) {
    if ((status & status_bit) == 0 || (errors_reported_ & status_bit) != 0) continue;
    errors_reported_ |= status_bit;  // the bit stays set until CTRL.RST: report it once
    const auto c = static_cast<unsigned>(cause);
    ++stats_.errors[c];
    kernel_.tracer().emit(machine_.now(), machine_.cpu_id(), TraceKind::NicError, c, 0);
  }
}

}  // namespace irqlab::kernel
