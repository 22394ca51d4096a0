#pragma once
// Tags a TLM transaction with the hart that issued it, so cycle-exact targets (the RTL
// bridge) know whose time they are spending.
#include <tlm>

namespace irqlab::models {

struct InitiatorExtension : tlm::tlm_extension<InitiatorExtension> {
  explicit InitiatorExtension(unsigned hart_id = 0) : hart(hart_id) {}
  tlm::tlm_extension_base* clone() const override { return new InitiatorExtension(hart); }
  void copy_from(const tlm::tlm_extension_base& other) override {
    hart = static_cast<const InitiatorExtension&>(other).hart;
  }
  unsigned hart;
};

}  // namespace irqlab::models
