#include "sched/deadlock.h"

#include <set>

#include "sync/turnstile.h"

namespace irqlab::kernel {

namespace {

std::string who(LwpId id, const std::string& name) {
  return std::to_string(id) + " (" + name + ")";
}

std::string held_by(const LockWaitEdge& e) {
  return e.holder ? "held by " + who(*e.holder, e.holder_name) : "held by readers";
}

const LockWaitEdge* edge_of(const std::vector<LockWaitEdge>& waits, LwpId lwp) {
  for (const LockWaitEdge& e : waits)
    if (e.lwp == lwp) return &e;
  return nullptr;
}

}  // namespace

std::string Deadlock::describe() const {
  std::string text;
  if (!cycle_lwps.empty()) {
    text = "wait-for cycle: ";
    for (std::size_t i = 0; i < cycle_lwps.size(); ++i) {
      const LockWaitEdge& e = *edge_of(waits, cycle_lwps[i]);
      if (i == 0) text += who(e.lwp, e.lwp_name);
      text += (i == 0 ? " waits for " : ", which waits for ") + e.lock + " " + held_by(e);
    }
    return text;
  }
  text = "every LWP is blocked on a lock:";
  for (std::size_t i = 0; i < waits.size(); ++i)
    text += (i == 0 ? " " : "; ") + who(waits[i].lwp, waits[i].lwp_name) + " waits for " +
            waits[i].lock + " " + held_by(waits[i]);
  return text;
}

std::optional<Deadlock> find_deadlock(const std::deque<Lwp>& lwps, const Lwp& self, Cycle now) {
  Deadlock d;
  d.cycle = now;
  for (const Lwp& l : lwps) {
    if (l.blocked_on == nullptr) continue;  // on no turnstile
    const Lwp* owner = l.blocked_on->owner();
    d.waits.push_back({l.id, l.name, l.blocked_on->name(),
                       owner ? std::optional<LwpId>(owner->id) : std::nullopt,
                       owner ? owner->name : std::string()});
  }
  std::set<const Lwp*> seen{&self};
  for (const Lwp* l = &self; l->blocked_on != nullptr && l->blocked_on->owner() != nullptr;) {
    d.cycle_lwps.push_back(l->id);
    const Lwp* owner = l->blocked_on->owner();
    if (owner == &self) return d;
    if (!seen.insert(owner).second) break;
    l = owner;
  }
  d.cycle_lwps.clear();
  for (const Lwp& l : lwps)
    if (!l.idle && l.state != LwpState::Blocked && l.state != LwpState::Dormant &&
        l.state != LwpState::Exited)
      return std::nullopt;
  d.kind = Deadlock::Kind::EveryLwpBlocked;
  return d;
}

}  // namespace irqlab::kernel
