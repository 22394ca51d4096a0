#pragma once
// The receiving UDP socket: a bounded receive queue of datagrams (so_rcv) and the user
// LWPs sleeping in receive on it.
//
// enqueue() runs in ipintr's context (softint, swi, softirq or netisr; it never blocks);
// receive() in the receiving user process's kernel entry (thread context), which sleeps
// on the socket's sleep queue while the queue is empty and is woken by enqueue().
// The emptiness check and the sleep-queue enqueue happen with no step boundary between
// them, so nothing runs in between: the socket buffer lock's interlock of a real kernel,
// and a datagram queued by another CPU is never missed.
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "sync/sleepq.h"

namespace irqlab::kernel {

class Kernel;

struct Datagram {
  std::uint32_t packet = 0;  // the packet id it came in
  std::vector<std::uint8_t> payload;
};

class Socket {
 public:
  Socket(Kernel& kernel, unsigned capacity) : kernel_(kernel), capacity_(capacity) {}

  // Appends `datagram` and wakes a reader (socket_enqueue); false, nothing spent, when
  // the queue already holds `capacity` datagrams. Any context that may not block.
  bool enqueue(Datagram datagram);
  // The oldest datagram, sleeping until there is one; spends socket_read. Thread context
  // of a user LWP.
  Datagram receive();

  std::size_t queued() const { return queue_.size(); }

 private:
  Kernel& kernel_;
  unsigned capacity_;
  std::deque<Datagram> queue_;
  SleepQueue readers_;
};

}  // namespace irqlab::kernel
