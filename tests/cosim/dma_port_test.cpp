// The DMA port's device side (cosim/rtl/dma_port.h) against its documented protocol: A is
// accepted at an edge with a_valid && a_ready, the access happens right after that edge,
// D is valid L cycles after it and held until retired, a_ready is low while a transaction
// is outstanding, a beat outside the TL-UL subset gets d_error one cycle later, and a
// PutPartialData reaches memory with its mask (docs/rtl.md, contract: mask = the byte
// lanes written, never 0).
#include "rtl/dma_port.h"

#include <gtest/gtest.h>
#include <vector>

namespace irqlab::cosim {
namespace dma_port_test {

// Memory of 16 words at address 0, a fixed latency, and a log of the accesses made.
struct FakeMemory : DmaTarget {
  explicit FakeMemory(Cycle latency_cycles) : latency(latency_cycles) {}
  Completion access(const TlRequest& request) override {
    accesses.push_back(request);
    if (request.address >= words.size() * 4) return {TlResponse{true, 0}, latency};
    std::uint32_t& word = words[request.address / 4];
    if (request.write) {
      for (unsigned lane = 0; lane < 4; ++lane) {
        if ((request.mask >> lane & 1U) == 0) continue;
        const std::uint32_t lane_bits = 0xFFU << (8 * lane);
        word = (word & ~lane_bits) | (request.data & lane_bits);
      }
      return {TlResponse{false, 0}, latency};
    }
    return {TlResponse{false, word}, latency};
  }
  Cycle latency;
  std::vector<std::uint32_t> words = std::vector<std::uint32_t>(16, 0);
  std::vector<TlRequest> accesses;
};

DmaPort::HostPins get(std::uint32_t address) {
  return {true, TlAPins{tlul::kGet, address, tlul::kFullMask, 0}, true};
}
DmaPort::HostPins put(std::uint32_t address, std::uint32_t data) {
  return {true, TlAPins{tlul::kPutFullData, address, tlul::kFullMask, data}, true};
}
DmaPort::HostPins put_partial(std::uint32_t address, std::uint32_t data, std::uint8_t mask) {
  return {true, TlAPins{tlul::kPutPartialData, address, mask, data}, true};
}
const DmaPort::HostPins kIdle{false, {}, true};

TEST(DmaPort, ReadRespondsLatencyCyclesAfterTheAcceptingEdge) {
  FakeMemory memory(4);
  memory.words[2] = 0xCAFEF00D;
  DmaPort port(memory);
  EXPECT_TRUE(port.pins(10).a_ready);
  port.edge(10, get(8));  // accepted at the edge ending cycle 10
  ASSERT_EQ(memory.accesses.size(), 1U);
  for (Cycle c = 11; c < 14; ++c) {
    EXPECT_FALSE(port.pins(c).a_ready) << c;
    EXPECT_FALSE(port.pins(c).d_valid) << c;
    port.edge(c, kIdle);
  }
  EXPECT_EQ(port.next_change(11), 14U);
  const DmaPort::DevicePins d = port.pins(14);  // 10 + L
  EXPECT_TRUE(d.d_valid);
  EXPECT_FALSE(d.d.error);
  EXPECT_EQ(d.d.data, 0xCAFEF00DU);
  EXPECT_FALSE(d.a_ready);
  port.edge(14, kIdle);  // retired
  EXPECT_TRUE(port.pins(15).a_ready);
  EXPECT_FALSE(port.pins(15).d_valid);
}

TEST(DmaPort, ResponseHoldsUntilDReadyAndNoSecondRequestIsTakenMeanwhile) {
  FakeMemory memory(2);
  DmaPort port(memory);
  port.edge(0, put(4, 7));
  EXPECT_EQ(memory.words[1], 7U);  // the write took effect at the accepting edge
  DmaPort::HostPins busy = put(8, 9);
  busy.d_ready = false;
  for (Cycle c = 1; c <= 5; ++c) port.edge(c, busy);  // D valid from 2, not retired
  EXPECT_TRUE(port.pins(6).d_valid);
  EXPECT_EQ(memory.accesses.size(), 1U);
  port.edge(6, put(8, 9));  // retires D; a_ready was low, so this A waits
  EXPECT_EQ(memory.accesses.size(), 1U);
  EXPECT_TRUE(port.pins(7).a_ready);
  port.edge(7, put(8, 9));
  EXPECT_EQ(memory.words[2], 9U);
}

TEST(DmaPort, ErrorsComeBackAsDError) {
  FakeMemory memory(3);
  DmaPort port(memory);
  port.edge(0, get(0x1000));  // outside the fake memory: its error
  EXPECT_TRUE(port.pins(3).d_valid);
  EXPECT_TRUE(port.pins(3).d.error);
  port.edge(3, kIdle);
  DmaPort::HostPins partial = put(0, 1);
  partial.a.mask = 0x3;
  port.edge(4, partial);  // outside the subset: no access, error next cycle
  EXPECT_EQ(memory.accesses.size(), 1U);
  EXPECT_TRUE(port.pins(5).d_valid);
  EXPECT_TRUE(port.pins(5).d.error);
}

TEST(DmaPort, PutPartialDataWritesOnlyItsByteLanes) {
  FakeMemory memory(1);
  memory.words[3] = 0x11223344;
  DmaPort port(memory);
  port.edge(0, put_partial(12, 0xAABBCCDD, 0b0110));  // lanes 1 and 2: bits 23:8
  ASSERT_EQ(memory.accesses.size(), 1U);
  EXPECT_TRUE(memory.accesses[0].write);
  EXPECT_EQ(memory.accesses[0].mask, 0b0110);
  EXPECT_EQ(memory.words[3], 0x11BBCC44U);
  EXPECT_TRUE(port.pins(1).d_valid);
  EXPECT_FALSE(port.pins(1).d.error);
  port.edge(1, kIdle);
  port.edge(2, put_partial(12, 0x55667788, tlul::kFullMask));  // all four lanes: legal
  EXPECT_EQ(memory.words[3], 0x55667788U);
  port.edge(3, kIdle);
  port.edge(4, put(8, 0x01020304));  // PutFullData reaches the target with the full mask
  EXPECT_EQ(memory.accesses.back().mask, tlul::kFullMask);
}

TEST(DmaPort, PartialWriteWithoutLanesAndPartialReadsAreOutsideTheSubset) {
  FakeMemory memory(1);
  DmaPort port(memory);
  port.edge(0, put_partial(0, 1, 0));  // PutPartialData with no lane
  EXPECT_TRUE(port.pins(1).d.error);
  port.edge(1, kIdle);
  DmaPort::HostPins partial_get = get(0);
  partial_get.a.mask = 0x1;  // Get always reads the whole word
  port.edge(2, partial_get);
  EXPECT_TRUE(port.pins(3).d.error);
  port.edge(3, kIdle);
  port.edge(4, put_partial(2, 1, 0x4));  // unaligned
  EXPECT_TRUE(port.pins(5).d.error);
  port.edge(5, kIdle);
  DmaPort::HostPins wide = put_partial(0, 1, 0x1F);  // a lane the 32-bit bus does not have
  port.edge(6, wide);
  EXPECT_TRUE(port.pins(7).d.error);
  EXPECT_TRUE(memory.accesses.empty());
}

TEST(DmaPort, LatencyIsAtLeastOneCycle) {
  FakeMemory memory(0);
  DmaPort port(memory);
  port.edge(0, get(0));
  EXPECT_FALSE(port.pins(0).d_valid);
  EXPECT_TRUE(port.pins(1).d_valid);
}

}  // namespace dma_port_test
}  // namespace irqlab::cosim
