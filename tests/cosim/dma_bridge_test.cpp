// The DMA bridge (cosim/bridge/dma_bridge.h) into a real models::Memory: a PutPartialData
// changes only the bytes of its mask's lanes (lane i = bits 8i+7:8i, the RAM little-endian),
// a full write and a read move whole words. Expected words are worked out by hand from the
// lanes, not by the bridge's mapping.
#include "bridge/dma_bridge.h"

#include <gtest/gtest.h>
#include <systemc>

#include "memory/memory.h"

namespace irqlab::cosim {
namespace dma_bridge_test {

constexpr std::uint32_t kBase = 0x8000'0000;

struct BridgeToRam {
  BridgeToRam()
      : period(10, sc_core::SC_NS), dma("dma", period), ram("ram", kBase, 0x100, 2 * period) {
    dma.initiator.bind(ram.target);
  }
  TlResponse write(std::uint32_t address, std::uint32_t data, std::uint8_t mask) {
    return dma.access(TlRequest{true, address, data, 0, mask}).response;
  }
  std::uint32_t read(std::uint32_t address) {
    const TlResponse r = dma.access(TlRequest{false, address, 0, 0}).response;
    EXPECT_FALSE(r.error);
    return r.data;
  }
  sc_core::sc_time period;
  DmaBridge dma;
  models::Memory ram;
};

TEST(DmaBridge, PartialWritesChangeOnlyTheirLanes) {
  BridgeToRam b;
  EXPECT_FALSE(b.write(kBase + 8, 0x11223344, tlul::kFullMask).error);
  EXPECT_FALSE(b.write(kBase + 12, 0x55667788, tlul::kFullMask).error);
  EXPECT_FALSE(b.write(kBase + 8, 0xAABBCCDD, 0b1010).error);  // lanes 1 and 3
  EXPECT_EQ(b.read(kBase + 8), 0xAA22CC44U);
  EXPECT_FALSE(b.write(kBase + 12, 0xAABBCCDD, 0b0001).error);  // lane 0: the lowest byte
  EXPECT_EQ(b.read(kBase + 12), 0x556677DDU);
  EXPECT_FALSE(b.write(kBase + 12, 0x01020304, 0b1100).error);
  EXPECT_EQ(b.read(kBase + 12), 0x010277DDU);
  EXPECT_EQ(b.read(kBase + 8), 0xAA22CC44U);  // the neighbour word is untouched
}

TEST(DmaBridge, APartialWriteOutsideTheRamIsAnError) {
  BridgeToRam b;
  EXPECT_TRUE(b.write(kBase + 0x100, 1, 0b0011).error);
}

}  // namespace dma_bridge_test
}  // namespace irqlab::cosim
