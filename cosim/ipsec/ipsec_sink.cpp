#include "ipsec/ipsec_sink.h"

#include "rtl/rtl_configuration.h"
#include "run/sink_registry.h"

namespace irqlab::cosim {

namespace {
// On when the scenario has a crypto engine; before the results, which read its report. It
// checks the receiver's reads against the traffic source's ESP expectations, if any.
const SinkRegistration kIpsecSink{
    "ipsec", 300, [](const SinkContext& c) -> std::unique_ptr<RunSink> {
      if (!c.scenario.crypto.present) return nullptr;
      return std::make_unique<IpsecSink>(built_rtl().nic_source, built_rtl().crypto_source, c.esp);
    }};
}  // namespace

}  // namespace irqlab::cosim
