#include "log/trace_log.h"

#include <spdlog/spdlog.h>

#include "run/sink_registry.h"

namespace irqlab::cosim {

namespace {

using kernel::TraceKind;

const char* activity_name(std::uint32_t activity) {
  switch (static_cast<kernel::CpuActivity>(activity)) {
    case kernel::CpuActivity::Idle:
      return "idle";
    case kernel::CpuActivity::Kernel:
      return "kernel";
    case kernel::CpuActivity::User:
      return "user";
    case kernel::CpuActivity::Interrupt:
      return "interrupt";
  }
  return "unknown";
}

}  // namespace

std::string printable(std::string_view name) {
  std::string out;
  for (const char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f && c != '\\') {
      out += c;
    } else {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      out += escaped;
    }
  }
  return out;
}

std::string TraceLog::named(const char* what, std::uint32_t id, const Names& names) {
  std::string text = std::string(what) + " " + std::to_string(id);
  if (const auto it = names.find(id); it != names.end()) text += " (" + it->second + ")";
  return text;
}

std::string TraceLog::describe(const kernel::TraceEvent& e) {
  const std::string kind = kernel::trace_kind_name(e.kind);
  std::string what;
  switch (e.kind) {
    case TraceKind::AnnounceSource:
      sources_[e.arg] = printable(e.name);
      return "announce " + named("source", e.arg, sources_);
    case TraceKind::AnnounceLwp:
      lwps_[e.arg] = printable(e.name);
      return "announce " + named("LWP", e.arg, lwps_) +
             (e.arg2 != 0 ? ", idle on hart " + std::to_string(e.arg2 - 1) : "");
    case TraceKind::AnnounceLock:
      locks_[e.arg] = printable(e.name);
      return "announce " + named("lock", e.arg, locks_);
    case TraceKind::AnnounceDeferred:
      deferred_[e.arg] = printable(e.name);
      return "announce " + named("deferred work", e.arg, deferred_) +
             (e.arg2 != 0 ? " for " + named("source", e.arg2, sources_) : "");
    case TraceKind::Activity:
      what = activity_name(e.arg);
      break;
    case TraceKind::Claim:
      what = e.arg == 0 ? "nothing pending" : named("source", e.arg, sources_);
      break;
    case TraceKind::HandlerStart:
    case TraceKind::HandlerEnd:
    case TraceKind::Complete:
    case TraceKind::Unhandled:
    case TraceKind::GatewayRequest:
      what = named("source", e.arg, sources_);
      break;
    case TraceKind::SourceLine:
      what = named("source", e.arg, sources_) + " level " + std::to_string(e.arg2);
      break;
    case TraceKind::HartLine:
      what = "level " + std::to_string(e.arg2);
      break;
    case TraceKind::Switch:
      what = "to " + named("LWP", e.arg, lwps_) +
             (static_cast<kernel::SwitchKind>(e.arg2) == kernel::SwitchKind::Full ? " full"
                                                                                  : " light");
      break;
    case TraceKind::Wakeup:
    case TraceKind::LockBlock:
      what = named("LWP", e.arg, lwps_);
      break;
    case TraceKind::IpiSend:
      what = "to hart " + std::to_string(e.arg);
      break;
    case TraceKind::SoftDispatch:
      what = "IPL " + std::to_string(e.arg);
      break;
    case TraceKind::LockWait:
    case TraceKind::LockAcquire:
    case TraceKind::LockRelease:
      what = named("lock", e.arg, locks_) + " by " + named("LWP", e.arg2, lwps_);
      break;
    case TraceKind::DeferRaise:
    case TraceKind::DeferStart:
    case TraceKind::DeferEnd:
      what = named("deferred work", e.arg, deferred_);
      break;
    case TraceKind::TrapEnter:
    case TraceKind::TrapExit:
      break;
    default:
      what = std::to_string(e.arg) + " " + std::to_string(e.arg2);
      break;
  }
  return kind + (what.empty() ? "" : " " + what);
}

void TraceLog::record(const kernel::TraceEvent& event) {
  const std::string text = describe(event);
  spdlog::debug("cycle {} hart {}: {}", event.cycle, event.cpu, text);
}

namespace {
// Only at log level debug or lower.
const SinkRegistration kTraceLog{"debug log", 700,
                                 [](const SinkContext&) -> std::unique_ptr<RunSink> {
                                   if (!spdlog::should_log(spdlog::level::debug)) return nullptr;
                                   return std::make_unique<TraceLog>();
                                 }};
}  // namespace

}  // namespace irqlab::cosim
