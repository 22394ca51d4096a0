// A personality defined here and nowhere else: it registers itself from this file (the
// way kernel/personality/<name>/ folders do), and a kernel runs it. Nothing outside this
// file names it: no enum, switch, name table or option list to extend.
#include <gtest/gtest.h>

#include <algorithm>

#include "kernel.h"
#include "personality/registry.h"
#include "test_support.h"

namespace irqlab::kernel::test {
namespace personality_registry_test {

struct TickCountOptions {
  bool kernel_preemption = true;
  unsigned soft_levels = 1;  // soft levels between NONE and HIGH in its IPL table
};

constexpr std::string_view kTickCount = "tickcount";

// Counts the hooks the core calls on it; its own IPL table and preemption choice.
class TickCount : public Personality {
 public:
  TickCount(Kernel& kernel, const TickCountOptions& options) : Personality(kernel), options_(options) {}
  std::string_view name() const override { return kTickCount; }
  void boot_cpu(unsigned cpu) override { boots.push_back(cpu); }
  void clock_tick(unsigned cpu) override { ++ticks.at(cpu); }

  TickCountOptions options_;
  std::vector<unsigned> boots;
  std::vector<std::uint64_t> ticks = std::vector<std::uint64_t>(4, 0);
};

std::span<const OptionField<TickCountOptions>> tick_count_fields() {
  static constexpr OptionField<TickCountOptions> fields[] = {
      {"kernel_preemption", &TickCountOptions::kernel_preemption, 0, 1, "", "preempt kernel code"},
      {"soft_levels", &TickCountOptions::soft_levels, 0, 4, "levels", "soft levels in the IPL table"},
  };
  return fields;
}

TickCountOptions tick_count_options(const KernelConfig& config) {
  return read_options(tick_count_fields(), config.personality.options_of(kTickCount));
}

const PersonalityRegistration kTickCountRegistration{{
    .name = std::string(kTickCount),
    .summary = "test personality: counts boots and ticks",
    .options = option_schema(tick_count_fields()),
    .costs = {},
    .configure =
        [](KernelConfig& config) {
          const TickCountOptions o = tick_count_options(config);
          if (config.ipl.empty()) {
            IplTable table = build_ipl_table({{"NONE", false}, {"HIGH", false}}, config.platform.plic_max_priority);
            for (unsigned l = 0; l < o.soft_levels; ++l)
              table.insert(table.begin() + 1, IplLevel{"SOFT" + std::to_string(l), true, 0});
            config.ipl = table;
          }
          config.sched.kernel_preemption = o.kernel_preemption;
        },
    .validate =
        [](const KernelConfig& config) {
          std::vector<std::string> errors;
          if (config.cpus > 2) errors.push_back("tickcount: at most 2 cpus");
          return errors;
        },
    .make = [](Kernel& kernel) -> std::unique_ptr<Personality> {
      return std::make_unique<TickCount>(kernel, tick_count_options(kernel.config()));
    },
}};

KernelConfig tick_count_config(unsigned cpus, OptionValues options = {}) {
  KernelConfig k = test_config(cpus);
  k.tick = {1000, 0, 1, 2};
  k.personality = {std::string(kTickCount), {{std::string(kTickCount), std::move(options)}}};
  return k;
}

TEST(PersonalityRegistry, APersonalityInATestFileRegistersWithItsSchema) {
  const std::vector<const PersonalityDescriptor*> all = registered_personalities();
  std::vector<std::string> names;
  for (const PersonalityDescriptor* p : all) names.push_back(p->name);
  // The five of kernel/personality/ (linked whole-archive) and this one, by name.
  const std::vector<std::string> want{"bsd43", "freebsd", "linux", "netbsd", "none", "tickcount"};
  EXPECT_EQ(names, want);
  const PersonalityDescriptor& p = personality_named(kTickCount);
  ASSERT_EQ(p.options.size(), 2u);
  EXPECT_EQ(p.options[0].name, "kernel_preemption");
  EXPECT_EQ(p.options[0].type, OptionType::Bool);
  EXPECT_EQ(p.options[0].default_value, 1u);  // TickCountOptions{}.kernel_preemption
  EXPECT_EQ(p.options[1].name, "soft_levels");
  EXPECT_EQ(p.options[1].default_value, 1u);
  EXPECT_EQ(p.options[1].max, 4u);
  EXPECT_EQ(p.options[1].unit, "levels");
}

TEST(PersonalityRegistry, TheKernelRunsTheRegisteredPersonality) {
  Rig rig(tick_count_config(2, {{"soft_levels", 2}, {"kernel_preemption", 0}}));
  rig.machine.run_until(3000);
  auto& p = static_cast<TickCount&>(expect_personality(*rig.kernel, kTickCount));
  std::vector<unsigned> boots = p.boots;
  std::sort(boots.begin(), boots.end());
  EXPECT_EQ(boots, (std::vector<unsigned>{0, 1}));
  // Its clock_tick ran on every tick the core counted, on each hart.
  const KernelStats s = rig.kernel->stats();
  EXPECT_GT(s.cpus[0].ticks, 0u);
  EXPECT_EQ(p.ticks[0], s.cpus[0].ticks);
  EXPECT_EQ(p.ticks[1], s.cpus[1].ticks);
  // Its configure step: NONE, SOFT1, SOFT0, HIGH, and no kernel preemption.
  const IplTable& t = rig.kernel->spl().table();
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[1].name, "SOFT1");
  EXPECT_TRUE(t[2].soft);
  EXPECT_FALSE(rig.kernel->config().sched.kernel_preemption);
}

TEST(PersonalityRegistry, OptionsAndNamesAreCheckedAgainstTheRegistry) {
  std::vector<std::string> e = validate_config(apply_personality(tick_count_config(3, {{"soft_levels", 5}})));
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0], "tickcount: at most 2 cpus");
  EXPECT_EQ(e[1], "tickcount: soft_levels is 5, must be 0..4");
  KernelConfig k = tick_count_config(1, {{"colour", 1}});
  k.personality.options["solaris"] = {};
  e = validate_config(k);
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0], "options given for unknown personality \"solaris\"");
  EXPECT_EQ(e[1], "tickcount: unknown option colour");
  k = test_config(1);
  k.personality.name = "plan9";
  e = validate_config(k);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0], "unknown personality \"plan9\": expected bsd43, freebsd, linux, netbsd, none or tickcount");
}

}  // namespace personality_registry_test
}  // namespace irqlab::kernel::test
