#pragma once
// The RTL parameters the linked Verilated model was built with, and the limits of the
// simulator that mirror them (the PLIC's largest priority, the NIC's RX FIFO bytes, the
// PLIC source each device's interrupt line drives, which `irqlab tune` may rewire).
//
// A link-time seam: rtl_configuration.cpp is compiled with each model from that model's
// generated cosim/soc_map.h (the main build's from rtl/soc/soc.yaml, an `irqlab tune` RTL
// variant's from its varied description, docs/tune.md), and every other object reads
// these values from here, never from soc_map.h's constants, so one set of objects serves
// every variant.
//
// Any context after static initialisation; the values never change during a run.
#include <cstdint>
#include <span>

#include "soc_map.h"

namespace irqlab::cosim {

struct BuiltRtl {
  std::span<const soc::Parameter> soc_parameters;           // results.json's scenario.rtl
  std::span<const soc::DeviceParameter> device_parameters;  // each device module's
  unsigned plic_priority_bits = 0;                          // PLIC PrioW
  unsigned max_priority = 0;                                // 2^PrioW - 1
  std::uint64_t nic_rx_fifo_bytes = 0;                      // nic RxFifoBytes
  std::span<const soc::Device> devices;  // address windows and interrupt sources, in order
  unsigned nic_source = 0;               // PLIC source of the NIC's interrupt
  unsigned crypto_source = 0;            // PLIC source of the crypto engine's interrupt
};

const BuiltRtl& built_rtl();

}  // namespace irqlab::cosim
