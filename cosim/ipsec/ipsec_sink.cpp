#include "ipsec/ipsec_sink.h"

#include "run/sink_registry.h"
#include "soc_map.h"

namespace irqlab::cosim {

namespace {
// On when the scenario has a crypto engine; before the results, which read its report. It
// checks the receiver's reads against the traffic source's ESP expectations, if any.
const SinkRegistration kIpsecSink{
    "ipsec", 300, [](const SinkContext& c) -> std::unique_ptr<RunSink> {
      if (!c.scenario.crypto.present) return nullptr;
      return std::make_unique<IpsecSink>(soc::nic_source, soc::crypto_source, c.esp);
    }};
}  // namespace

}  // namespace irqlab::cosim
