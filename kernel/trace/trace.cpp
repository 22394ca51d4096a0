#include "trace/trace.h"

namespace irqlab::kernel {

const char* trace_kind_name(TraceKind kind) {
  switch (kind) {
    case TraceKind::Activity: return "Activity";
    case TraceKind::TrapEnter: return "TrapEnter";
    case TraceKind::Claim: return "Claim";
    case TraceKind::HandlerStart: return "HandlerStart";
    case TraceKind::HandlerEnd: return "HandlerEnd";
    case TraceKind::Complete: return "Complete";
    case TraceKind::TrapExit: return "TrapExit";
    case TraceKind::Unhandled: return "Unhandled";
    case TraceKind::Switch: return "Switch";
    case TraceKind::Wakeup: return "Wakeup";
    case TraceKind::LockBlock: return "LockBlock";
    case TraceKind::IpiSend: return "IpiSend";
    case TraceKind::SoftDispatch: return "SoftDispatch";
    case TraceKind::LockWait: return "LockWait";
    case TraceKind::LockAcquire: return "LockAcquire";
    case TraceKind::LockRelease: return "LockRelease";
    case TraceKind::DeferRaise: return "DeferRaise";
    case TraceKind::DeferStart: return "DeferStart";
    case TraceKind::DeferEnd: return "DeferEnd";
    case TraceKind::PacketDelivered: return "PacketDelivered";
    case TraceKind::PacketSent: return "PacketSent";
    case TraceKind::NicCounter: return "NicCounter";
    case TraceKind::NicError:
      return "NicError";
    case TraceKind::CryptoDispatch: return "CryptoDispatch";
    case TraceKind::CryptoDone: return "CryptoDone";
    case TraceKind::CryptoCallback: return "CryptoCallback";
    case TraceKind::PacketStage: return "PacketStage";
    case TraceKind::PacketDrop: return "PacketDrop";
    case TraceKind::SocketRead: return "SocketRead";
    case TraceKind::IplChange:
      return "IplChange";
    case TraceKind::RunQueueDepth:
      return "RunQueueDepth";
    case TraceKind::SourceLine: return "SourceLine";
    case TraceKind::GatewayRequest: return "GatewayRequest";
    case TraceKind::HartLine: return "HartLine";
    case TraceKind::FrameOffered: return "FrameOffered";
    case TraceKind::FrameDropped: return "FrameDropped";
    case TraceKind::FrameTransmitted: return "FrameTransmitted";
    case TraceKind::CryptoJobStart:
      return "CryptoJobStart";
    case TraceKind::CryptoJobDone:
      return "CryptoJobDone";
    case TraceKind::NicRxFifoLevel:
      return "NicRxFifoLevel";
    case TraceKind::AnnounceLwp: return "AnnounceLwp";
    case TraceKind::AnnounceLock: return "AnnounceLock";
    case TraceKind::AnnounceDeferred: return "AnnounceDeferred";
    case TraceKind::AnnounceSource: return "AnnounceSource";
  }
  return "?";
}

}  // namespace irqlab::kernel
