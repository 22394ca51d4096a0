#include "waves/wave_names.h"

#include <cstdio>

#include "output/atomic_file.h"

namespace irqlab::cosim {

namespace {

std::string hex_escape(unsigned char c) {
  char buffer[5];
  std::snprintf(buffer, sizeof buffer, "\\x%02X", c);
  return buffer;
}

// One line per value: "<value> <text>"; `offset` is added to each id (the probes that
// carry 1 + id), `none` names the value 0 when they do.
void write_filter(const std::filesystem::path& path,
                  const std::map<std::uint32_t, std::string>& names, std::uint32_t offset,
                  std::string_view none) {
  AtomicFile file(path);
  std::ostream& out = file.stream();
  if (!none.empty()) out << "0 " << none << "\n";
  for (const auto& [id, name] : names)
    out << id + offset << " " << gtkwave_filter_text(name) << "\n";
  file.commit();
}

}  // namespace

std::string gtkwave_filter_text(std::string_view name) {
  if (name.empty()) return "(unnamed)";
  std::string text;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    const bool edge_space = c == ' ' && (i == 0 || i + 1 == name.size());
    if (c == '\\')
      text += "\\\\";
    else if (c < 0x20 || c > 0x7E || edge_space || (i == 0 && c == '?'))
      text += hex_escape(c);
    else
      text += static_cast<char>(c);
  }
  return text;
}

void WaveNames::record(const kernel::TraceEvent& event) {
  switch (event.kind) {
    case kernel::TraceKind::AnnounceLwp:
      lwps_[event.arg] = std::string(event.name);
      break;
    case kernel::TraceKind::AnnounceLock:
      locks_[event.arg] = std::string(event.name);
      break;
    case kernel::TraceKind::AnnounceSource:
      sources_[event.arg] = std::string(event.name);
      break;
    case kernel::TraceKind::AnnounceDeferred:
      deferred_[event.arg] = std::string(event.name);
      break;
    default:
      break;
  }
}

void WaveNames::write_filters(const std::filesystem::path& dir) const {
  std::filesystem::create_directories(dir);
  write_filter(dir / WaveFilterFiles::kLwps, lwps_, 0, "");
  write_filter(dir / WaveFilterFiles::kLockOwners, lwps_, 1, "free");
  write_filter(dir / WaveFilterFiles::kLocksWaited, locks_, 1, "none");
  write_filter(dir / WaveFilterFiles::kSources, sources_, 0, "none");
  write_filter(dir / WaveFilterFiles::kDeferred, deferred_, 1, "none");
  // TileLink UL opcodes of the register port and the DMA masters (docs/rtl.md).
  write_filter(dir / WaveFilterFiles::kTlulAOpcodes,
               {{0, "PutFullData"}, {1, "PutPartialData"}, {4, "Get"}}, 0, "");
  write_filter(dir / WaveFilterFiles::kTlulDOpcodes, {{0, "AccessAck"}, {1, "AccessAckData"}}, 0,
               "");
}

}  // namespace irqlab::cosim
