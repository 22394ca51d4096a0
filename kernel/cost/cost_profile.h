#pragma once
// The cost model: every cycle the kernel spends is a named parameter of a cost profile,
// loaded from YAML (scenarios/costs/*.yaml), never a literal in kernel code. The core's
// fields are members; a personality's own fields live in its folder and reach it by name.
//
// Switch kinds (research/kernel-semantics.md, Terms): an interrupt context (IC) costs
// trap_entry + trap_exit; a full switch (FS) costs runq_pick + switch_full (plus
// runq_insert when the switched-out LWP is re-queued); a lightweight switch (LS) costs
// switch_light in each direction.
#include <map>
#include <span>
#include <string>
#include <string_view>

#include "machine/machine.h"

namespace irqlab::kernel {

struct CostProfile {
  Cycle trap_entry = 0;    // save the interrupted context's registers, vector to the trap handler
  Cycle trap_exit = 0;     // restore registers, return from trap
  Cycle irq_dispatch = 0;  // after a claim: look up and call the registered handler
  Cycle tick_handler = 0;  // periodic timer tick body (time keeping, accounting)
  Cycle boot = 0;          // per-hart boot code before the first driver access
  Cycle switch_full = 0;   // FS: save/restore registers, switch stack and address space
  Cycle switch_light = 0;  // LS: softint stack switch, one direction
  Cycle runq_insert = 0;   // put an LWP on a per-CPU run queue
  Cycle runq_pick = 0;     // choose the next LWP (mi_switch/schedule selection)
  Cycle wakeup = 0;        // make a blocked or sleeping LWP runnable, pick its CPU
  Cycle ipi_send = 0;      // kernel work before the IPI SET register write
  Cycle lock_fast = 0;     // uncontended lock acquire or release (one atomic operation)
  Cycle lock_slow_block = 0;    // contended path: turnstile/sleep-queue lookup and enqueue
  Cycle lock_release_wake = 0;  // release with waiters: turnstile lookup and hand-off
  Cycle spin_iteration = 0;     // one iteration of a spin-wait loop
  Cycle nic_rx_frame = 0;  // NIC driver: protocol input of one received frame
  Cycle nic_refill = 0;    // NIC driver: clear and hand back one RX descriptor
  Cycle nic_tx_clean = 0;  // NIC driver: reclaim one transmitted TX descriptor
  Cycle crypto_dispatch = 0;   // crypto framework: crypto_dispatch of one request
  Cycle crypto_job_setup = 0;  // crypto driver: fill one job descriptor and ring the doorbell
  Cycle crypto_done = 0;       // crypto driver + framework: retire one completed job
  Cycle cryptoret_item = 0;    // crypto return thread: dequeue one request for its callback
  Cycle ether_input = 0;       // link-layer demux of one frame
  Cycle ip_input = 0;          // IPv4 header checks and protocol demux of one packet
  Cycle esp_input = 0;         // ESP: SA lookup, header parse, crypto request set-up
  Cycle esp_input_cb = 0;      // ESP continuation: padding check, header strip, re-queue
  Cycle poly1305_block = 0;    // software Poly1305, one 16-byte block
  Cycle udp_input = 0;         // UDP demux to a socket
  Cycle socket_enqueue = 0;    // append to a socket receive queue and wake the reader
  Cycle socket_read = 0;       // a receive system call returning one datagram (copy-out excluded)
  // Fields a personality declares (personality/registry.h, e.g. Linux's work_queue), by
  // name; the personality reads them into its own struct (personality/<name>/).
  std::map<std::string, Cycle, std::less<>> personality;
};

struct CostField {
  std::string_view name;
  Cycle CostProfile::*member;
  std::string_view meaning;
};

// Every core field of CostProfile with its name in the YAML file; loaders and docs use it
// (with the registered personalities' cost fields).
std::span<const CostField> cost_fields();

}  // namespace irqlab::kernel
