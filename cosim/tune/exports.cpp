#include "tune/exports.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "drivers/regs/crypto_regs.h"
#include "drivers/regs/nic_regs.h"
#include "drivers/regs/plic_regs.h"
#include "scenario/scenario.h"
#include "soc_map.h"

namespace irqlab::cosim::tune {

namespace {

struct Write {
  std::string name;  // macro stem
  std::uint64_t base = 0;
  std::uint64_t offset = 0;
  std::uint32_t mask = 0xFFFF'FFFF;
  std::uint32_t value = 0;
  std::string comment;
};

std::string hex(std::uint64_t v) {
  char text[32];
  std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(v));
  return text;
}

// The PLIC sources the scenario configures: its own sources, the NIC's, the engine's.
struct PlicSource {
  unsigned id;
  unsigned priority;
  std::vector<unsigned> cpus;  // empty: every hart
  std::string what;
};

std::vector<PlicSource> plic_sources(const Scenario& s, const DeviceSources& wiring) {
  std::vector<PlicSource> out;
  for (const InjectedSource& src : s.sources)
    out.push_back({src.irq.source, src.irq.priority, src.irq.cpus, "sources[" + src.name + "]"});
  if (s.nic.present) out.push_back({wiring.nic, s.nic.priority, s.nic.cpus, "nic"});
  if (s.crypto.present) out.push_back({wiring.crypto, s.crypto.priority, s.crypto.cpus, "crypto"});
  return out;
}

bool enabled_on(const PlicSource& src, unsigned hart) {
  return src.cpus.empty() || std::find(src.cpus.begin(), src.cpus.end(), hart) != src.cpus.end();
}

std::vector<Write> register_writes(const Scenario& s, const DeviceSources& wiring,
                                   std::uint32_t prio_mask) {
  namespace plic = regs::plic;
  std::vector<Write> writes;
  const std::vector<PlicSource> sources = plic_sources(s, wiring);
  for (const PlicSource& src : sources)
    writes.push_back({"PLIC_PRIO_" + std::to_string(src.id), soc::kPlicBase, plic::prio(src.id),
                      0xFFFF'FFFF, (src.priority & prio_mask) << plic::kPrioPrioShift,
                      src.what + " priority"});
  if (s.tick.period != 0)
    for (unsigned h = 0; h < s.harts; ++h)
      writes.push_back({"PLIC_PRIO_" + std::to_string(soc::timer_source(h)), soc::kPlicBase,
                        plic::prio(soc::timer_source(h)), 0xFFFF'FFFF, s.tick.priority,
                        "timer" + std::to_string(h) + " priority (kernel.tick_priority)"});
  for (unsigned h = 0; h < s.harts; ++h) {
    for (unsigned word = 0; word < (soc::kPlicSources + 31) / 32; ++word) {
      std::uint32_t mask = 0;
      std::uint32_t value = 0;
      for (const PlicSource& src : sources) {
        if (src.id / 32 != word) continue;
        mask |= std::uint32_t{1} << (src.id % 32);
        if (enabled_on(src, h)) value |= std::uint32_t{1} << (src.id % 32);
      }
      if (mask != 0)
        writes.push_back({"PLIC_IE_" + std::to_string(h) + "_" + std::to_string(word),
                          soc::kPlicBase, plic::ie(h, word), mask, value,
                          "hart " + std::to_string(h) +
                              "'s enables of the sources above: (ie & ~MASK) | VALUE"});
    }
    writes.push_back({"PLIC_THRESHOLD_" + std::to_string(h), soc::kPlicBase, plic::threshold(h),
                      0xFFFF'FFFF, h < s.threshold_floor.size() ? s.threshold_floor[h] : 0,
                      "hart " + std::to_string(h) +
                          "'s threshold at boot (kernel.threshold_floor); spl raises it at run "
                          "time, never below it"});
  }
  if (s.nic.present) {
    namespace nic = regs::nic;
    writes.push_back({"NIC_ITR", soc::kNicBase, nic::kItr, 0xFFFF'FFFF,
                      (s.nic.itr & nic::kItrIntervalMask) << nic::kItrIntervalShift,
                      "nic.itr, 256 ns units"});
    writes.push_back({"NIC_RDTR", soc::kNicBase, nic::kRdtr, 0xFFFF'FFFF,
                      (s.nic.rdtr & nic::kRdtrDelayMask) << nic::kRdtrDelayShift,
                      "nic.rdtr, 1.024 us units"});
    writes.push_back({"NIC_RADV", soc::kNicBase, nic::kRadv, 0xFFFF'FFFF,
                      (s.nic.radv & nic::kRadvDelayMask) << nic::kRadvDelayShift,
                      "nic.radv, 1.024 us units"});
  }
  if (s.crypto.present) {
    namespace crypto = regs::crypto;
    writes.push_back(
        {"CRYPTO_COAL", soc::kCryptoBase, crypto::kCoal, 0xFFFF'FFFF,
         (s.crypto.coalesce_count & crypto::kCoalCountMask) << crypto::kCoalCountShift |
             (s.crypto.coalesce_timeout & crypto::kCoalTimeoutMask) << crypto::kCoalTimeoutShift,
         "crypto.coalesce_count | crypto.coalesce_timeout << 16"});
  }
  return writes;
}

}  // namespace

std::string scenario_snippet(const TuneSpec& spec, const std::string& document, const Candidate& c,
                             const std::string& origin) {
  YAML::Emitter out;
  out << chosen_keys(spec, document, c);
  return "# " + origin +
         "\n# The tuned keys; lists (sources) are given whole, as the scenario loader replaces "
         "them.\n" +
         out.c_str() + "\n";
}

std::string register_header(const Scenario& winner, const DeviceSources& wiring,
                            const std::string& origin, std::uint32_t plic_max_priority) {
  // The PRIO field holds 0 .. 2^PrioW - 1 at plic::kPrioPrioShift in every configuration.
  const std::vector<Write> writes = register_writes(winner, wiring, plic_max_priority);
  std::string h =
      "/* " + origin +
      "\n * Register values of the tuned configuration, for firmware to write at boot.\n"
      " * Generated by irqlab tune: do not edit. Address = BASE + OFFSET; a write with a\n"
      " * MASK other than all ones is a read-modify-write: (reg & ~MASK) | VALUE. */\n"
      "#ifndef IRQLAB_TUNE_REGS_H\n#define IRQLAB_TUNE_REGS_H\n\n#include <stdint.h>\n\n";
  h += "#define IRQLAB_TUNE_PLIC_BASE " + hex(soc::kPlicBase) + "u\n";
  if (winner.nic.present) h += "#define IRQLAB_TUNE_NIC_BASE " + hex(soc::kNicBase) + "u\n";
  if (winner.crypto.present)
    h += "#define IRQLAB_TUNE_CRYPTO_BASE " + hex(soc::kCryptoBase) + "u\n";
  for (const Write& w : writes) {
    h += "\n/* " + w.comment + " */\n";
    h += "#define IRQLAB_TUNE_" + w.name + "_OFFSET " + hex(w.offset) + "u\n";
    if (w.mask != 0xFFFF'FFFF)
      h += "#define IRQLAB_TUNE_" + w.name + "_MASK " + hex(w.mask) + "u\n";
    h += "#define IRQLAB_TUNE_" + w.name + (w.mask != 0xFFFF'FFFF ? "_VALUE " : " ") +
         hex(w.value) + "u\n";
  }
  h += "\n/* Every write above in order, for a loop; define IRQLAB_TUNE_DEFINE_WRITES in one file. "
       "*/\n"
       "struct irqlab_tune_write {\n  uint64_t address;\n  uint32_t mask;\n  uint32_t value;\n};\n"
       "#define IRQLAB_TUNE_WRITE_COUNT " +
       std::to_string(writes.size()) +
       "u\n"
       "#ifdef IRQLAB_TUNE_DEFINE_WRITES\n"
       "const struct irqlab_tune_write irqlab_tune_writes[IRQLAB_TUNE_WRITE_COUNT] = {\n";
  for (const Write& w : writes)
    h += "    {" + hex(w.base + w.offset) + "ull, " + hex(w.mask) + "u, " + hex(w.value) + "u},\n";
  h += "};\n#else\nextern const struct irqlab_tune_write "
       "irqlab_tune_writes[IRQLAB_TUNE_WRITE_COUNT];\n#endif\n\n"
       "#endif /* IRQLAB_TUNE_REGS_H */\n";
  return h;
}

}  // namespace irqlab::cosim::tune
