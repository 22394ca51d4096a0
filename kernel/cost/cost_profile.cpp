#include "cost/cost_profile.h"

#include <array>

namespace irqlab::kernel {

std::span<const CostField> cost_fields() {
  static constexpr std::array fields{
      CostField{"trap_entry", &CostProfile::trap_entry,
                "save the interrupted context's registers and vector to the trap handler"},
      CostField{"trap_exit", &CostProfile::trap_exit, "restore registers and return from trap"},
      CostField{"irq_dispatch", &CostProfile::irq_dispatch,
                "after a claim: look up and call the registered handler"},
      CostField{"tick_handler", &CostProfile::tick_handler,
                "periodic timer tick body (time keeping, accounting)"},
      CostField{"boot", &CostProfile::boot, "per-hart boot code before the first driver access"},
      CostField{"switch_full", &CostProfile::switch_full,
                "full switch (FS): save and restore registers, switch stack and address space"},
      CostField{"switch_light", &CostProfile::switch_light,
                "lightweight switch (LS): softint stack switch, one direction"},
      CostField{"runq_insert", &CostProfile::runq_insert, "put an LWP on a per-CPU run queue"},
      CostField{"runq_pick", &CostProfile::runq_pick,
                "choose the next LWP from the run queue during a full switch"},
      CostField{"wakeup", &CostProfile::wakeup,
                "make a blocked or sleeping LWP runnable and choose its CPU"},
      CostField{"ipi_send", &CostProfile::ipi_send,
                "kernel work before writing the inter-processor interrupt SET register"},
      CostField{"lock_fast", &CostProfile::lock_fast,
                "uncontended lock acquire or release (one atomic operation)"},
      CostField{"lock_slow_block", &CostProfile::lock_slow_block,
                "contended path: turnstile or sleep-queue lookup and enqueue before switching"},
      CostField{"lock_release_wake", &CostProfile::lock_release_wake,
                "release with waiters: turnstile lookup and hand-off to the next owner"},
      CostField{"spin_iteration", &CostProfile::spin_iteration,
                "one iteration of a spin-wait loop (spin mutex, adaptive spin)"},
      CostField{"nic_rx_frame", &CostProfile::nic_rx_frame,
                "NIC driver: protocol input of one received frame (the delivery point)"},
      CostField{"nic_refill", &CostProfile::nic_refill,
                "NIC driver: clear one RX descriptor and hand it back to the NIC"},
      CostField{"nic_tx_clean", &CostProfile::nic_tx_clean,
                "NIC driver: reclaim one transmitted TX descriptor"},
      CostField{"crypto_dispatch", &CostProfile::crypto_dispatch,
                "crypto framework: crypto_dispatch of one request"},
      CostField{"crypto_job_setup", &CostProfile::crypto_job_setup,
                "crypto driver: fill one job descriptor and ring the doorbell"},
      CostField{"crypto_done", &CostProfile::crypto_done,
                "crypto driver and framework: retire one completed job"},
      CostField{"cryptoret_item", &CostProfile::cryptoret_item,
                "crypto return thread: dequeue one request for its callback"},
      CostField{"ether_input", &CostProfile::ether_input, "link-layer demux of one frame"},
      CostField{"ip_input", &CostProfile::ip_input,
                "IPv4 header checks and protocol demux of one packet"},
      CostField{"esp_input", &CostProfile::esp_input,
                "ESP: SA lookup, header parse and crypto request set-up"},
      CostField{"esp_input_cb", &CostProfile::esp_input_cb,
                "ESP continuation: padding check, header strip, re-queue to IP"},
      CostField{"poly1305_block", &CostProfile::poly1305_block,
                "software Poly1305, one 16-byte block"},
      CostField{"udp_input", &CostProfile::udp_input, "UDP demux to a socket"},
      CostField{"socket_enqueue", &CostProfile::socket_enqueue,
                "append to a socket receive queue and wake the reader"},
      CostField{"socket_read", &CostProfile::socket_read,
                "a receive system call returning one datagram (copy-out excluded)"},

  };
  return fields;
}

}  // namespace irqlab::kernel
