// ConfigNode over -c overrides: each entry of a list an override set still names that
// override in its errors, and the override's text is held once, not once per entry (the
// bench passes stimulus lists of thousands of entries with -c; a copy per entry made the
// parse's memory quadratic in the list's length: 57 MB of peak RSS at 2000 entries).
#include "config/config_node.h"

#include <gtest/gtest.h>
#include <string>

namespace irqlab::cosim {
namespace config_node_test {

std::string long_list_override(unsigned entries) {
  std::string text = "at=[";
  for (unsigned i = 0; i < entries; ++i) text += (i ? ", " : "") + std::to_string(1000 + 10 * i);
  return text + "]";
}

TEST(ConfigNodeOverride, EveryEntryOfALongListSharesTheOverridesText) {
  YAML::Node doc = YAML::Load("name: x\n");
  const std::string assignment = long_list_override(2000);
  apply_override(doc, assignment);
  const ConfigNode root(doc, "x.yaml", "");
  const std::vector<ConfigNode> entries = root.at("at").items();
  ASSERT_EQ(entries.size(), 2000U);
  for (const ConfigNode& entry : entries) {
    ASSERT_TRUE(entry.from_command_line());
    ASSERT_EQ(&entry.override_text(), &entries.front().override_text());
  }
  EXPECT_EQ(entries.front().override_text(), assignment);
}

TEST(ConfigNodeOverride, AnEntrysErrorNamesTheOverrideAndTheEntry) {
  YAML::Node doc = YAML::Load("name: x\n");
  apply_override(doc, "at=[1, two]");
  const std::vector<ConfigNode> entries = ConfigNode(doc, "x.yaml", "").at("at").items();
  try {
    (void)entries.at(1).as_uint();
    FAIL() << "a word accepted as a number";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(),
                 "-c at=[1, two]: key 'at[1]': expected a non-negative integer, got 'two'");
  }
}

TEST(ConfigNodeOverride, ANodeFromTheFileNamesNoOverride) {
  const ConfigNode root(YAML::Load("at: [1, 2]\n"), "x.yaml", "");
  for (const ConfigNode& entry : root.at("at").items()) {
    EXPECT_FALSE(entry.from_command_line());
    EXPECT_EQ(entry.override_text(), "");
  }
}

}  // namespace config_node_test
}  // namespace irqlab::cosim
