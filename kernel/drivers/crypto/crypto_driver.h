#pragma once
// Driver for the irqlab crypto engine (ChaCha20 job ring, docs/rtl.md "crypto"): the
// crypto framework's driver (crypto/ocf.h). Registered as device "crypto"; line 0 of the
// device is its one level interrupt (PLIC source 6 on the irqlab SoC).
//
// Design
//   Without a crypto: block in the scenario (CryptoConfig::present false) the driver
//   requests no source, takes no memory, registers nothing and does no MMIO.
//
//   attach() (host side) takes from Kernel::dma_memory(): the job ring (ring_entries
//   64-byte descriptors, 64-aligned as JR_BASE needs), one data slot of max_job_bytes per
//   ring entry (jobs run in place: SRC = DST = the slot) and the key table (one 32-byte
//   key per session, kCryptoKeyTableSessions of them). It serves the source and
//   registers with the framework (Kernel::crypto()).
//
//   boot_cpu() on the engine's boot CPU (the first of crypto.cpus, else 0), interrupts
//   off: establishes the bottom half (neutral deferred work "crypto_complete": Net, may
//   not block, source = the engine's, BottomHalf::OrInline: the personality runs it in
//   the source's interrupt thread where there is one, else inline in the hard handler);
//   writes the keys of the sessions opened so far; programs CTRL.SRST, JR_BASE_LO/HI,
//   JR_SIZE, COAL (count, timeout), INTR_ENABLE = DONE | ERR, CTRL.EN.
//
//   The ring lock, as the BSD crypto drivers lock their rings (NetBSD: a spin kmutex at
//   the device's IPL; FreeBSD safe(4): sc_ringmtx): a spin mutex at the engine's device
//   level, so it may be taken in the hard handler and masks the engine's interrupt on the
//   CPU that holds it. It covers the
//   request table (jobs_), the software indices, the descriptors and slots of reserved
//   entries and the doorbell: process() holds it from the ring-full check until JR_TAIL
//   is written, the completion while it looks at and takes jobs off the ring, recovery
//   throughout. So no CPU sees an entry reserved but not yet written (its descriptor
//   still holds the previous lap's DONE and cookie), and doorbells go in ring order.
//   done() is called with it released: a callback run in the completion's context may
//   dispatch again, which takes it.
//
//   process() (the framework, any context that may not block): a ring holds at most
//   ring_entries - 1 jobs (head == tail means empty), so a full ring refuses the request.
//   Otherwise, under the ring lock, it takes the next ring entry, copies the request's
//   data into the entry's slot, writes the descriptor (opcode ChaCha20, IRQ_ON_DONE,
//   LENGTH, SRC = DST = slot, KEY = the session's key, NONCE, COUNTER, STATUS 0, COOKIE
//   = request id), spends crypto_job_setup and rings the doorbell (JR_TAIL).
//
//   The hard handler reads INTR_STATE, clears what it read (rw1c) and schedules the
//   bottom half. The bottom half walks the ring from the oldest outstanding job while its
//   STATUS has DONE: reads the data back into the request, maps STATUS.ERROR onto
//   CryptoError and takes it off the ring (under the ring lock), then passes the jobs it
//   took to CryptoFramework::done() in ring order (lock released); then, if the engine
//   reported ERR and STATUS.HALT_ERR is set, recovers; finally CryptoFramework::unblock().
//   One bottom half walks at a time (busy_/again_, as the NIC's poll), so done() sees
//   the jobs in ring order even when the completion runs on several CPUs.
//
//   Recovery from a halt (a DMA fault stops the engine with JR_HEAD at the failing job):
//   the job at JR_HEAD, if the walk did not already complete it (the engine writes no
//   STATUS when the descriptor fetch or the status write itself failed), completes with
//   DmaFault; CTRL.SRST, the ring is programmed again, and the jobs behind it, which the
//   engine never started, are written again from ring entry 0 in their order and the
//   doorbell rung once. None is lost and none runs twice; each halt retires at least the
//   failing job, so a persistently failing engine cannot hang the framework.
//
// Register offsets and fields: drivers/regs/crypto_regs.h, generated from rtl/soc/soc.yaml.
#include <cstdint>
#include <memory>
#include <vector>

#include "crypto/ocf.h"
#include "drivers/crypto/crypto_config.h"
#include "drivers/driver.h"
#include "machine/machine.h"
#include "personality/deferred.h"
#include "sync/spin_mutex.h"

namespace irqlab::kernel {

// Sessions the key table holds (256 x 32 bytes); new_session() beyond it panics.
inline constexpr unsigned kCryptoKeyTableSessions = 256;

// What the driver did, for tests and results (any context may read it).
struct CryptoDriverStats {
  std::uint64_t interrupts = 0;   // hard handler runs
  std::uint64_t submitted = 0;    // jobs written to the ring (re-submissions after a halt included)
  std::uint64_t retired = 0;      // jobs passed to CryptoFramework::done()
  std::uint64_t errors = 0;       // retired with an error
  std::uint64_t ring_full = 0;    // process() refused: the ring was full
  std::uint64_t halts = 0;        // recoveries from STATUS.HALT_ERR
  std::uint64_t resubmitted = 0;  // jobs written again after a halt
};

class CryptoEngineDriver final : public Driver, public CryptoDriver {
 public:
  CryptoEngineDriver(Kernel& kernel, const PlatformDevice& device);

  // Host side, before any hart runs.
  void attach() override;
  // On hart `cpu`, interrupts disabled; only the engine's boot CPU programs it.
  void boot_cpu(unsigned cpu) override;

  // CryptoDriver. new_session: host side or thread context (writes the key once booted).
  void new_session(CryptoSessionId id, const CryptoKey& key) override;
  bool process(CryptoRequest& request) override;

  const CryptoDriverStats& stats() const { return stats_; }
  // Where attach() placed the ring, the slots and the key table. Any context.
  Addr ring() const { return ring_; }
  Addr slots() const { return slots_; }
  Addr key_table() const { return keys_; }

 private:
  // Hard interrupt, interrupts disabled.
  void interrupt();
  // The bottom half (deferred work or inline in the hard handler), may not block.
  void complete();
  // From complete(): retires the jobs the engine finished, oldest first, until none is.
  void retire_done();
  // From retire_done(), ring lock held: takes the jobs at the head whose STATUS has DONE
  // off the ring, their data read back, oldest first.
  std::vector<CryptoRequest*> take_done();
  // From complete(), STATUS.HALT_ERR set: resets and reprograms the engine and writes
  // the jobs behind the failing one again (see the design comment); returns the failing
  // job for the caller to retire, if the walk had not.
  CryptoRequest* recover();
  // From the bottom half: counts `request` and hands it to CryptoFramework::done().
  void retire(CryptoRequest& request);
  // boot_cpu() and recover(): SRST, ring, coalescing, interrupt enables, EN.
  void program_engine();
  // process() and recover(), ring lock held: takes the next ring entry for `request` and
  // writes it (data into its slot, the descriptor), spends crypto_job_setup.
  void fill(CryptoRequest& request);
  void write_key(CryptoSessionId id);
  Addr key_address(CryptoSessionId id) const { return keys_ + Addr{id - 1} * 32; }
  Addr descriptor(unsigned index) const { return ring_ + Addr{index} * 64; }
  Addr slot(unsigned index) const { return slots_ + Addr{index} * config_.max_job_bytes; }
  unsigned next(unsigned index) const { return (index + 1) % config_.ring_entries; }

  // Register access, from boot_cpu(), process(), the handler or the bottom half.
  std::uint32_t read(Addr offset) { return machine_.mmio_read(base_ + offset); }
  void write(Addr offset, std::uint32_t value) { machine_.mmio_write(base_ + offset, value); }

  Machine& machine_;
  const CryptoConfig& config_;
  Addr base_;
  unsigned boot_cpu_ = 0;
  Addr ring_ = 0, slots_ = 0, keys_ = 0;
  std::vector<CryptoKey> keys_by_session_;  // index id - 1; written to memory at boot
  bool booted_ = false;
  std::unique_ptr<SpinMutex> ring_lock_;  // made by attach(), at the engine's device level
  // Under ring_lock_:
  std::vector<CryptoRequest*> jobs_;   // by ring entry: the request it holds, or null
  unsigned head_ = 0;                  // oldest outstanding job (software's consumer index)
  unsigned tail_ = 0;                  // next entry process() takes; JR_TAIL as last written
  unsigned outstanding_ = 0;           // entries from head_ up to tail_
  bool error_reported_ = false;        // INTR_STATE.ERR seen since the last bottom half
  bool busy_ = false, again_ = false;  // one bottom half at a time (as the NIC's poll)
  DeferredWork* bottom_half_ = nullptr;
  std::vector<std::uint8_t> scratch_;  // one descriptor or one slot's data (host side)
  CryptoDriverStats stats_;
};

}  // namespace irqlab::kernel
