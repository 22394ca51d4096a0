#include "kernel_config.h"

#include <set>

#include "drivers/crypto/crypto_limits.h"
#include "net/ipsec_config_check.h"
#include "personality/personality.h"

namespace irqlab::kernel {

namespace {

std::string what(const std::string& who, unsigned source) {
  return who + " source " + std::to_string(source);
}

// Ranges of NicConfig (the e1000's RDLEN/TDLEN and RCTL.BSIZE encodings).
void check_nic(const KernelConfig& config, std::vector<std::string>& errors) {
  const NicConfig& nic = config.nic;
  const auto fail = [&errors](std::string message) { errors.push_back("nic: " + std::move(message)); };
  const auto check_ring = [&](const char* which, unsigned n) {
    if (!nic_ring_length_valid(n))
      fail(std::string(which) + " " + std::to_string(n) +
           " is not a legal ring length: a multiple of 8 from 8 to 256 (RDLEN/TDLEN in 128-byte units)");
  };
  check_ring("rx_descriptors", nic.rx_descriptors);
  check_ring("tx_descriptors", nic.tx_descriptors);
  if (!nic_buffer_size_valid(nic.buffer_size))
    fail("buffer_size " + std::to_string(nic.buffer_size) + " is not one of 256, 512, 1024, 2048 (RCTL.BSIZE)");
  if (nic.budget == 0) fail("budget is 0: a poll would never deliver a frame");
  if (nic.itr > 0xFFFF) fail("itr " + std::to_string(nic.itr) + " does not fit ITR (16 bits)");
  if (nic.rdtr > 0xFFFF) fail("rdtr " + std::to_string(nic.rdtr) + " does not fit RDTR (16 bits)");
  if (nic.radv > 0xFFFF) fail("radv " + std::to_string(nic.radv) + " does not fit RADV (16 bits)");
  if (nic.mac >> 48 != 0) fail("mac has bits above 47: a station address is 6 bytes");
  for (unsigned cpu : nic.cpus)
    if (cpu >= config.cpus)
      fail("enabled on cpu " + std::to_string(cpu) + " but there are " + std::to_string(config.cpus) + " cpus");
  if (config.personality.name == "none")
    fail("the driver's poll is deferred work, which the personality \"none\" cannot run");
  const PlatformDevice* device = config.platform.find("nic");
  if (device == nullptr || device->sources.empty()) {
    fail("the platform has no nic device with an interrupt source");
    return;
  }
  const PlatformMap& p = config.platform;
  if (nic.priority == 0 || nic.priority > p.plic_max_priority)
    fail("priority " + std::to_string(nic.priority) + " outside 1.." + std::to_string(p.plic_max_priority));
  const Addr needed = Addr{nic.rx_descriptors + nic.tx_descriptors} * (16 + nic.buffer_size);
  if (needed > p.ram_size)
    fail("rings and buffers need " + std::to_string(needed) + " bytes but main memory has " +
         std::to_string(p.ram_size));
}

// Ranges of CryptoConfig (the engine's JR_SIZE and COAL fields, its job length limit).
void check_crypto(const KernelConfig& config, std::vector<std::string>& errors) {
  const CryptoConfig& crypto = config.crypto;
  const auto fail = [&errors](std::string message) {
    errors.push_back("crypto: " + std::move(message));
  };
  if (!crypto_ring_entries_valid(crypto.ring_entries))
    fail("ring_entries " + std::to_string(crypto.ring_entries) +
         " is not a legal job ring length: a power of 2 from 2 to 1024 (JR_SIZE)");
  if (crypto.max_job_bytes < kCryptoMinSlotBytes || crypto.max_job_bytes > kCryptoEngineMaxJobBytes)
    fail("max_job_bytes " + std::to_string(crypto.max_job_bytes) + " outside " +
         std::to_string(kCryptoMinSlotBytes) + ".." + std::to_string(kCryptoEngineMaxJobBytes) +
         " (one ChaCha20 block .. the engine's MaxJobBytes)");
  if (crypto.coalesce_count > kCryptoCoalesceCountMax)
    fail("coalesce_count " + std::to_string(crypto.coalesce_count) +
         " does not fit COAL.COUNT (8 bits)");
  if (crypto.coalesce_timeout > kCryptoCoalesceTimeoutMax)
    fail("coalesce_timeout " + std::to_string(crypto.coalesce_timeout) +
         " does not fit COAL.TIMEOUT (16 bits)");
  if (crypto.coalesce_count > 1 && crypto.coalesce_timeout == 0)
    fail("coalesce_count " + std::to_string(crypto.coalesce_count) +
         " without coalesce_timeout: the last completions of a burst would never raise an "
         "interrupt");
  for (unsigned cpu : crypto.cpus)
    if (cpu >= config.cpus)
      fail("enabled on cpu " + std::to_string(cpu) + " but there are " +
           std::to_string(config.cpus) + " cpus");
  if (config.personality.name == "none")
    fail("the driver's completion is deferred work, which the personality \"none\" cannot run");
  const PlatformDevice* device = config.platform.find("crypto");
  if (device == nullptr || device->sources.empty()) {
    fail("the platform has no crypto device with an interrupt source");
    return;
  }
  const PlatformMap& p = config.platform;
  if (crypto.priority == 0 || crypto.priority > p.plic_max_priority)
    fail("priority " + std::to_string(crypto.priority) + " outside 1.." +
         std::to_string(p.plic_max_priority));
  const Addr needed = Addr{crypto.ring_entries} * (kCryptoDescriptorBytes + crypto.max_job_bytes);
  if (needed > p.ram_size)
    fail("the job ring and its data slots need " + std::to_string(needed) +
         " bytes but main memory has " + std::to_string(p.ram_size));
}

}  // namespace

std::vector<std::string> validate_config(const KernelConfig& config) {
  std::vector<std::string> errors;
  const PlatformMap& p = config.platform;
  const auto fail = [&errors](std::string message) { errors.push_back(std::move(message)); };

  if (config.cpus == 0) fail("cpus is 0: the kernel needs at least one hart");
  if (config.cpus > p.plic_contexts)
    fail("cpus is " + std::to_string(config.cpus) + " but the PLIC has only " +
         std::to_string(p.plic_contexts) + " contexts (context n is hart n)");
  if (p.plic_sources < 2)
    fail("platform.plic_sources is " + std::to_string(p.plic_sources) +
         ": the PLIC needs source ID 0 (reserved) and at least one real source");
  if (p.plic_max_priority == 0) fail("platform.plic_max_priority is 0: no source could interrupt");
  if (config.threshold_floor.size() > config.cpus)
    fail("threshold_floor lists " + std::to_string(config.threshold_floor.size()) +
         " harts but there are " + std::to_string(config.cpus) + " cpus");
  for (std::size_t h = 0; h < config.threshold_floor.size(); ++h)
    if (config.threshold_floor[h] > p.plic_max_priority)
      fail("threshold_floor of cpu " + std::to_string(h) + " is " +
           std::to_string(config.threshold_floor[h]) + ", above the PLIC maximum " +
           std::to_string(p.plic_max_priority));

  const auto check_source = [&](const std::string& who, unsigned source) {
    if (source == 0 || source >= p.plic_sources)
      fail(what(who, source) + " is out of range: valid PLIC sources are 1.." +
           std::to_string(p.plic_sources == 0 ? 0 : p.plic_sources - 1));
  };
  const auto check_priority = [&](const std::string& who, unsigned priority) {
    if (priority == 0)
      fail(who + " priority is 0, which the PLIC treats as never interrupt");
    else if (priority > p.plic_max_priority)
      fail(who + " priority " + std::to_string(priority) + " is above the PLIC maximum " +
           std::to_string(p.plic_max_priority));
  };

  const std::vector<unsigned> timer_source = p.sources_of("timer");
  const std::vector<unsigned> ipi_source = p.sources_of("ipi");
  std::set<unsigned> used;
  if (config.tick.period != 0) {
    if (timer_source.size() < config.cpus)
      fail("tick enabled but the platform's timer lists " + std::to_string(timer_source.size()) +
           " sources for " + std::to_string(config.cpus) + " cpus");
    for (unsigned h = 0; h < config.cpus && h < timer_source.size(); ++h) {
      const std::string who = "timer of cpu " + std::to_string(h);
      check_source(who, timer_source[h]);
      if (!used.insert(timer_source[h]).second)
        fail(what(who, timer_source[h]) + " is shared with another timer");
    }
    check_priority("tick", config.tick.priority);
    if (config.tick.prescale > kTimerPrescaleMax)
      fail("tick prescale " + std::to_string(config.tick.prescale) +
           " does not fit CFG.prescale (max " + std::to_string(kTimerPrescaleMax) + ")");
    if (config.tick.step == 0 || config.tick.step > kTimerStepMax)
      fail("tick step " + std::to_string(config.tick.step) + " must be 1.." +
           std::to_string(kTimerStepMax));
  }

  if (config.cpus > 1) {
    if (p.find("ipi") == nullptr)
      fail("cpus is " + std::to_string(config.cpus) +
           " but the platform has no ipi device: cross-CPU wake-ups need it");
    if (ipi_source.size() < config.cpus)
      fail("the platform's ipi lists " + std::to_string(ipi_source.size()) + " sources for " +
           std::to_string(config.cpus) + " cpus");
    for (unsigned h = 0; h < config.cpus && h < ipi_source.size(); ++h) {
      const std::string who = "IPI of cpu " + std::to_string(h);
      check_source(who, ipi_source[h]);
      if (!used.insert(ipi_source[h]).second)
        fail(what(who, ipi_source[h]) + " is shared with a timer or another IPI");
    }
    check_priority("ipi", config.ipi_priority);
  }
  if (config.sched.slice_ticks == 0) fail("sched.slice_ticks is 0: a time slice needs a tick");
  for (std::string& e : validate_ipl_table(config.ipl, p.plic_max_priority)) fail(std::move(e));
  for (std::string& e : validate_personality(config)) fail(std::move(e));

  for (const InjectedSource& s : config.injected) {
    const std::string who = "injected";
    check_source(who, s.source);
    if (!used.insert(s.source).second)
      fail(what(who, s.source) + " is declared twice or is a timer source");
    check_priority(what(who, s.source), s.priority);
    for (unsigned cpu : s.cpus)
      if (cpu >= config.cpus)
        fail(what(who, s.source) + " is enabled on cpu " + std::to_string(cpu) + " but there are " +
             std::to_string(config.cpus) + " cpus");
  }
  if (config.nic.present) check_nic(config, errors);
  if (config.crypto.present) check_crypto(config, errors);
  if (config.ipsec.present) check_ipsec(config, errors);
  return errors;
}

}  // namespace irqlab::kernel
