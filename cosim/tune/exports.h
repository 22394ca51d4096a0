#pragma once
// The winner, exported two ways (docs/tune.md, "Exports"):
// - a scenario snippet: YAML of the tuned keys (a source's field inside the whole sources
//   list, since lists are replaced whole), to paste into the scenario;
// - a C header of the register values the configuration writes at boot: each PLIC
//   source's PRIO, each hart context's IE word (a mask of the bits it covers and their
//   values), each context's THRESHOLD at boot (its kernel.threshold_floor, 0 when absent;
//   spl raises it at run time, never below that), the NIC's
//   ITR, RDTR and RADV, the crypto engine's COAL. Offsets and fields come from the
//   generated register headers (kernel/drivers/regs/*_regs.h), bases from cosim/soc_map.h.
//
// Any thread; pure functions of the winner's loaded scenario.
#include <cstdint>
#include <string>

#include "tune/candidate.h"

namespace irqlab::cosim {
struct Scenario;
}

namespace irqlab::cosim::tune {

// `origin`: one line saying where the values come from (scenario, personality, candidate).
std::string scenario_snippet(const TuneSpec& spec, const std::string& document, const Candidate& c,
                             const std::string& origin);

// The PLIC sources the winner's RTL configuration wires the devices to (rtl_space.h's
// wired_source).
struct DeviceSources {
  unsigned nic = 0;
  unsigned crypto = 0;
};

// `winner`: the scenario loaded with the winner's overrides; `plic_max_priority`: the largest
// priority of the winner's PLIC (its PRIO field is that wide, which a wider RTL configuration
// than the running binary's makes wider than the generated register header's).
std::string register_header(const Scenario& winner, const DeviceSources& wiring,
                            const std::string& origin, std::uint32_t plic_max_priority);

}  // namespace irqlab::cosim::tune
