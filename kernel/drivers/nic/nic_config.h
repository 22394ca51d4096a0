#pragma once
// What a scenario tells the NIC driver (kernel/drivers/nic): ring sizes, buffer size,
// interrupt moderation and the receive mode. Checked by validate_config().
#include <cstdint>
#include <vector>

namespace irqlab::kernel {

// A legal ring length: RDLEN/TDLEN count 128-byte units of 16-byte descriptors, so a
// multiple of 8, and the subset holds at most 256.
constexpr bool nic_ring_length_valid(unsigned descriptors) {
  return descriptors >= 8 && descriptors <= 256 && descriptors % 8 == 0;
}
// A buffer size RCTL.BSIZE encodes (BSEX = 0).
constexpr bool nic_buffer_size_valid(unsigned bytes) {
  return bytes == 256 || bytes == 512 || bytes == 1024 || bytes == 2048;
}

struct NicConfig {
  bool present = false;          // the scenario has a nic: block
  unsigned priority = 3;         // PLIC priority of the NIC's source
  std::vector<unsigned> cpus;    // harts it is enabled on (empty = all)
  unsigned rx_descriptors = 64;  // multiple of 8, 8..256
  unsigned tx_descriptors = 64;
  unsigned buffer_size = 2048;   // 256, 512, 1024, 2048 (RCTL.BSIZE)
  unsigned itr = 0;              // ITR interval, 256 ns units (0 = off)
  unsigned rdtr = 0;             // RDTR, 1.024 us units (0 = off: RXT0 per frame)
  unsigned radv = 0;             // RADV, 1.024 us units
  bool polling = true;           // NAPI-style: mask in the handler, poll in deferred work
  unsigned budget = 64;          // frames per poll before yielding
  bool echo = false;             // transmit every delivered frame back, MACs swapped
  // Statistics read-back period, in ticks of the NIC's boot CPU (0 = only after RXO).
  unsigned stats_ticks = 10;
  std::uint64_t mac = 0x0000'5634'1200'5452;  // station address, byte 0 in bits 7:0 (52:54:00:12:34:56)
};

}  // namespace irqlab::kernel
