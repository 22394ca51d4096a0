#include "fake_devices/fake_plic.h"

#include "drivers/regs/plic_regs.h"
#include "machine/bus_error.h"

namespace irqlab::kernel::test {

namespace {

// The register map, from the SoC description (drivers/regs/plic_regs.h). The fake
// decodes it by block and stride, so a wrong offset in a driver shows up as a BusError or
// a wrong value.
namespace plic = regs::plic;
constexpr Addr kWindow = plic::kWindowSize;
constexpr Addr kPending = plic::ip(0);
constexpr Addr kEnable = plic::ie(0, 0);
constexpr Addr kEnableStride = plic::ie(1, 0) - plic::ie(0, 0);
constexpr Addr kContext = plic::threshold(0);
constexpr Addr kContextStride = plic::threshold(1) - plic::threshold(0);
constexpr Addr kClaimInContext = plic::cc(0) - plic::threshold(0);

const FakeDeviceRegistration<FakePlic> fake_plic_registration("plic");

}  // namespace

FakePlic::FakePlic(const PlatformDevice&, const PlatformMap& platform, unsigned harts)
    : priority_(platform.plic_sources),
      pending_(platform.plic_sources),
      in_service_(platform.plic_sources),
      enable_(platform.plic_contexts, std::vector<std::uint32_t>((platform.plic_sources + 31) / 32)),
      threshold_(platform.plic_contexts),
      scripted_claims_(platform.plic_contexts),
      forced_(harts) {}

Addr FakePlic::window() const { return kWindow; }

void FakePlic::request(unsigned source) {
  if (source < pending_.size() && !in_service_[source]) pending_[source] = true;
}

void FakePlic::script_claims(unsigned ctx, std::vector<std::uint32_t> ids) {
  scripted_claims_[ctx].insert(scripted_claims_[ctx].end(), ids.begin(), ids.end());
}

bool FakePlic::enabled(unsigned ctx, unsigned source) const {
  return ctx < enable_.size() && (enable_[ctx][source / 32] >> (source % 32) & 1) != 0;
}

bool FakePlic::hart_line(unsigned hart) const {
  if (forced_[hart]) return true;
  for (unsigned s = 1; s < pending_.size(); ++s)
    if (pending_[s] && enabled(hart, s) && priority_[s] > threshold_[hart]) return true;
  return false;
}

std::uint32_t FakePlic::claim(unsigned ctx) {
  if (ctx < forced_.size()) forced_[ctx] = false;
  std::uint32_t id = 0;
  if (!scripted_claims_[ctx].empty()) {
    id = scripted_claims_[ctx].front();
    scripted_claims_[ctx].erase(scripted_claims_[ctx].begin());
  } else {
    for (unsigned s = 1; s < pending_.size(); ++s)
      if (pending_[s] && enabled(ctx, s) && priority_[s] > 0 &&
          (id == 0 || priority_[s] > priority_[id]))
        id = s;
  }
  if (id != 0 && id < pending_.size()) {
    pending_[id] = false;
    in_service_[id] = true;
  }
  return id;
}

void FakePlic::complete(unsigned ctx, std::uint32_t id) {
  if (id != 0 && id < in_service_.size() && enabled(ctx, id)) in_service_[id] = false;
}

std::uint32_t FakePlic::access(const FakeAccess& a) {
  const Addr off = a.offset;
  const auto bad = [&] { return BusError(a.addr, a.write, "no such PLIC register"); };
  if (off % 4 != 0) throw bad();
  const Addr words = enable_.empty() ? 0 : enable_[0].size();
  if (off < kPending) {
    const Addr source = off / 4;
    if (source == 0 || source >= priority_.size()) throw bad();
    if (a.write) priority_[source] = a.value;
    return priority_[source];
  }
  if (off < kPending + 4 * words) {
    if (a.write) throw BusError(a.addr, a.write, "PLIC pending bits are read-only");
    std::uint32_t bits = 0;
    const Addr first = (off - kPending) / 4 * 32;
    for (Addr b = 0; b < 32 && first + b < pending_.size(); ++b)
      if (pending_[first + b]) bits |= std::uint32_t{1} << b;
    return bits;
  }
  if (off >= kEnable && off < kEnable + kEnableStride * enable_.size()) {
    const Addr ctx = (off - kEnable) / kEnableStride;
    const Addr w = (off - kEnable) % kEnableStride / 4;
    if (w >= words) throw bad();
    if (a.write) enable_[ctx][w] = a.value;
    return enable_[ctx][w];
  }
  if (off >= kContext && off < kContext + kContextStride * threshold_.size()) {
    const auto ctx = static_cast<unsigned>((off - kContext) / kContextStride);
    switch ((off - kContext) % kContextStride) {
      case 0:
        if (a.write) threshold_[ctx] = a.value;
        return threshold_[ctx];
      case kClaimInContext:
        if (!a.write) return claim(ctx);
        complete(ctx, a.value);
        return 0;
    }
  }
  throw bad();
}

}  // namespace irqlab::kernel::test
