// Harts and the NIC's DMA share main memory coherently (cosim/bridge/coherent_ram.h): the
// real Verilated SoC with its NIC, served by the RTL domain (rtl/nic_port.h), the DMA
// bridge and the RAM's two doors, and SystemC threads standing in for harts that program
// the NIC through the register bridge as its manual says (legacy descriptors, docs/rtl.md
// NIC). No kernel, no driver.
// - A hart writes a frame and its TX descriptor into memory, then TDT: the NIC's DMA reads
//   what the hart wrote, and the frame leaves the MAC byte for byte.
// - A frame arrives at the MAC: the NIC's DMA writes the buffer and then the descriptor's
//   DD; the hart that sees DD reads the whole frame from the buffer.
//
// SystemC runs one simulation per process: ctest runs each test in its own process.
#include <array>
#include <functional>
#include <gtest/gtest.h>
#include <optional>
#include <systemc>
#include <tlm_utils/simple_initiator_socket.h>
#include <vector>

#include "bridge/coherent_ram.h"
#include "bridge/dma_bridge.h"
#include "bridge/tlul_bridge.h"
#include "bus/router.h"
#include "cpu/initiator_extension.h"
#include "drivers/regs/nic_regs.h"
#include "memory/memory.h"
#include "net/ethernet.h"
#include "net/mac_tx_sink.h"
#include "net/mac_wire.h"
#include "rtl/rtl_domain.h"
#include "soc_map.h"
#include "sync/lazy_clock.h"

namespace irqlab::cosim {
namespace nic_dma_test {

namespace nic = regs::nic;
using models::net::Frame;

constexpr std::uint64_t kPeriodPs = 10'000;
constexpr Cycle kEnd = 400'000;
constexpr std::uint32_t kRing =
    static_cast<std::uint32_t>(soc::kRamBase) + 0x1000;  // 8 descriptors
constexpr std::uint32_t kBuffers =
    static_cast<std::uint32_t>(soc::kRamBase) + 0x4000;  // 2 KiB each
constexpr unsigned kDescriptors = 8;
constexpr std::uint32_t kDescriptorBytes = 16;

// Frames offered at given times, then none.
struct ScriptedTraffic : models::net::TrafficSource {
  std::vector<models::net::TimedFrame> frames;
  std::size_t next_index = 0;
  std::optional<models::net::TimedFrame> next() override {
    if (next_index == frames.size()) return std::nullopt;
    return frames[next_index++];
  }
};

// A broadcast frame of `size` bytes (without FCS) whose bytes after the header count up.
Frame broadcast_frame(unsigned size, std::uint8_t seed) {
  Frame f(size);
  for (unsigned i = 0; i < 6; ++i) f[i] = 0xFF;
  for (unsigned i = 6; i < size; ++i) f[i] = static_cast<std::uint8_t>(seed + i);
  f[12] = 0x08;  // EtherType IPv4: a plain Ethernet II frame
  f[13] = 0x00;
  return f;
}

struct Platform : sc_core::sc_module {
  SC_HAS_PROCESS(Platform);
  explicit Platform(ScriptedTraffic* traffic)
      : sc_module("platform"),
        rtl(kPeriodPs, std::nullopt),
        clock("clock", rtl, sc_core::sc_time(static_cast<double>(kPeriodPs), sc_core::SC_PS), 1,
              kEnd),
        bus("bus", clock.period(), {1, 1}),
        bridge("bridge", clock),
        doors("doors", clock),
        ram("ram", soc::kRamBase, soc::kRamSize, 2 * clock.period()),
        dma_bus("dma_bus", clock.period(), {1, 1}),
        dma("dma", clock.period()),
        tx([this](const models::net::TransmittedFrame& f) {
          transmitted.emplace_back(f.wire_bytes.begin(), f.wire_bytes.end());
        }),
        hart_port("hart_port") {
    bus.add_window("soc", soc::kRegisterWindowBase, soc::kRegisterWindowSize);
    bus.add_window("ram", soc::kRamBase, soc::kRamSize);
    hart_port.bind(bus.target);
    bus.initiator.bind(bridge.target);
    bus.initiator.bind(doors.harts);
    doors.memory.bind(ram.target);
    dma_bus.add_window("ram", soc::kRamBase, soc::kRamSize);
    dma.initiator.bind(dma_bus.target);
    dma_bus.initiator.bind(doors.dma);
    if (traffic != nullptr)
      wire.emplace(*traffic, 10, kPeriodPs, [](const models::net::OfferedFrame&) {});
    rtl.attach_nic(dma, wire ? &*wire : nullptr, tx);
  }

  void run(std::function<void()> body) {
    hart = std::move(body);
    sc_core::sc_spawn(
        [this] {
          hart();
          sc_core::wait();
        },
        "hart0");
    sc_core::sc_start(static_cast<double>(kEnd) * clock.period());
  }

  // One access of hart 0 as the CPU issues it, then its latency.
  void access(std::uint64_t address, unsigned char* data, unsigned length, bool write) {
    tlm::tlm_generic_payload trans;
    models::InitiatorExtension initiator(0);
    trans.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    trans.set_address(address);
    trans.set_data_ptr(data);
    trans.set_data_length(length);
    trans.set_streaming_width(length);
    trans.set_extension(&initiator);
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    hart_port->b_transport(trans, delay);
    trans.clear_extension(&initiator);
    ASSERT_TRUE(trans.is_response_ok()) << std::hex << address;
    clock.advance(0, static_cast<Cycle>(delay / clock.period()));
  }
  void reg_write(std::uint64_t offset, std::uint32_t value) {
    access(soc::kNicBase + offset, reinterpret_cast<unsigned char*>(&value), 4, true);
  }
  void mem_write(std::uint32_t address, std::vector<std::uint8_t> bytes) {
    access(address, bytes.data(), static_cast<unsigned>(bytes.size()), true);
  }
  std::vector<std::uint8_t> mem_read(std::uint32_t address, unsigned length) {
    std::vector<std::uint8_t> bytes(length);
    access(address, bytes.data(), length, false);
    return bytes;
  }

  RtlDomain rtl;
  LazyClock clock;
  models::Router bus;
  TlulBridge bridge;
  CoherentRam doors;
  models::Memory ram;
  models::Router dma_bus;
  DmaBridge dma;
  std::optional<models::net::MacWire> wire;
  models::net::MacTxSink tx;
  std::vector<Frame> transmitted;
  tlm_utils::simple_initiator_socket<Platform> hart_port;
  std::function<void()> hart;
};

// A legacy descriptor: buffer address, then length (TX) and command byte at 11.
std::vector<std::uint8_t> descriptor(std::uint32_t buffer, std::uint16_t length = 0,
                                     std::uint8_t command = 0) {
  std::vector<std::uint8_t> d(kDescriptorBytes, 0);
  for (unsigned i = 0; i < 4; ++i) d[i] = static_cast<std::uint8_t>(buffer >> (8 * i));
  d[8] = static_cast<std::uint8_t>(length);
  d[9] = static_cast<std::uint8_t>(length >> 8);
  d[11] = command;
  return d;
}

TEST(NicDma, TheDmaReadsWhatTheHartWroteBeforeTdt) {
  Platform p(nullptr);
  const Frame frame = broadcast_frame(100, 7);
  p.run([&] {
    p.mem_write(kBuffers, frame);
    constexpr std::uint8_t kEop = 1U << 0, kIfcs = 1U << 1, kRs = 1U << 3;
    p.mem_write(kRing,
                descriptor(kBuffers, static_cast<std::uint16_t>(frame.size()), kEop | kIfcs | kRs));
    p.reg_write(nic::kTdbal, kRing);
    p.reg_write(nic::kTdbah, 0);
    p.reg_write(nic::kTdlen, kDescriptors * kDescriptorBytes);
    p.reg_write(nic::kTdh, 0);
    p.reg_write(nic::kTdt, 0);
    p.reg_write(nic::kTctl, (1U << 1) | (1U << 3));  // EN, PSP
    p.reg_write(nic::kTdt, 1);
    p.clock.advance(0, 20'000);
    const std::vector<std::uint8_t> written_back = p.mem_read(kRing, kDescriptorBytes);
    EXPECT_EQ(written_back[12] & 1U, 1U) << "DD written back";
  });
  ASSERT_EQ(p.transmitted.size(), 1U);
  EXPECT_EQ(p.transmitted[0], models::net::with_fcs(frame));
}

TEST(NicDma, TheHartThatSeesDdReadsTheWholeFrame) {
  ScriptedTraffic traffic;
  const Frame frame = broadcast_frame(300, 3);
  constexpr std::uint64_t kArrivalPs = 200'000'000;  // 20000 cycles in: the ring is set up by then
  traffic.frames.push_back({kArrivalPs, frame});
  Platform p(&traffic);
  std::vector<std::uint8_t> received;
  std::uint16_t length = 0;
  p.run([&] {
    for (unsigned d = 0; d < kDescriptors; ++d)
      p.mem_write(kRing + d * kDescriptorBytes, descriptor(kBuffers + d * 2048));
    p.reg_write(nic::kRdbal, kRing);
    p.reg_write(nic::kRdbah, 0);
    p.reg_write(nic::kRdlen, kDescriptors * kDescriptorBytes);
    p.reg_write(nic::kRdh, 0);
    p.reg_write(nic::kRdt, kDescriptors - 1);
    p.reg_write(nic::kRctl, (1U << 1) | (1U << 15) | (1U << 26));  // EN, BAM, BSIZE 2048, SECRC
    // Poll descriptor 0's status until the NIC has written it back.
    for (;;) {
      const std::vector<std::uint8_t> d = p.mem_read(kRing, kDescriptorBytes);
      if ((d[12] & 1U) != 0) {
        length = static_cast<std::uint16_t>(d[8] | (d[9] << 8));
        break;
      }
      p.clock.advance(0, 1);
    }
    received = p.mem_read(kBuffers, length);
  });
  EXPECT_EQ(length, frame.size());
  EXPECT_EQ(received, frame);
}

}  // namespace nic_dma_test
}  // namespace irqlab::cosim
