// A GoogleTest program for the rule-coverage check's own tests, never run as a test
// itself: one test per way a test can carry a rule ID and still not count. Only Z_OK_1
// and Z_NEAR_10 run and pass. rule_coverage_fixture_uncovered.md lists one rule per case
// that must not count, rule_coverage_fixture_covered.md the two that must.
#include <gtest/gtest.h>

TEST(RuleCoverageFixture, Z_OK_1_RunsAndPasses) { EXPECT_EQ(2 + 2, 4); }

TEST(RuleCoverageFixture, DISABLED_Z_OFF_1_IsDisabledSoNeverRuns) { EXPECT_EQ(2 + 2, 4); }

TEST(RuleCoverageFixture, Z_SKIP_1_IsSkipped) { GTEST_SKIP() << "skipped on purpose"; }

TEST(RuleCoverageFixture, Z_FAIL_1_Fails) { EXPECT_EQ(2 + 2, 5) << "fails on purpose"; }

// Carries Z-NEAR-10, not Z-NEAR-1.
TEST(RuleCoverageFixture, Z_NEAR_10_CarriesALongerId) { EXPECT_EQ(2 + 2, 4); }

#if 0
TEST(RuleCoverageFixture, Z_GONE_1_IsCompiledOut) { EXPECT_EQ(2 + 2, 4); }
#endif
