#include "net/socket.h"

#include "kernel.h"

namespace irqlab::kernel {

bool Socket::enqueue(Datagram datagram) {
  if (queue_.size() >= capacity_) return false;
  queue_.push_back(std::move(datagram));
  kernel_.work(kernel_.costs().socket_enqueue);
  if (Lwp* reader = readers_.pop()) kernel_.sched().wakeup(*reader);
  return true;
}

Datagram Socket::receive() {
  while (queue_.empty()) {
    readers_.enqueue(kernel_.sched().current());
    kernel_.sched().block();
  }
  Datagram datagram = std::move(queue_.front());
  queue_.pop_front();
  kernel_.work(kernel_.costs().socket_read);
  return datagram;
}

}  // namespace irqlab::kernel
