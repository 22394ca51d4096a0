#include "irq/irq_table.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace irqlab::kernel::test {
namespace irq_table_test {

struct IrqRegistry : ::testing::Test {
  FakeMachine machine{1, test_platform(1), kMmio};
  Tracer tracer;
  CostProfile costs = test_costs();
  IrqTable table{machine, tracer, costs, 32};
};

TEST_F(IrqRegistry, RejectsDoubleRegistration) {
  table.request_irq(4, [](unsigned) {});
  try {
    table.request_irq(4, [](unsigned) {});
    FAIL() << "accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "request_irq(4): source already has a handler");
  }
}

TEST_F(IrqRegistry, RejectsReservedOutOfRangeAndEmpty) {
  EXPECT_THROW(table.request_irq(0, [](unsigned) {}), std::invalid_argument);
  EXPECT_THROW(table.request_irq(32, [](unsigned) {}), std::invalid_argument);
  EXPECT_THROW(table.request_irq(3, IrqHandler{}), std::invalid_argument);
  table.request_irq(31, [](unsigned) {});  // the last source is fine
}

}  // namespace irq_table_test
}  // namespace irqlab::kernel::test
