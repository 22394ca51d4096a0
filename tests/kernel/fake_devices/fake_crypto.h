#pragma once
// A behavioural model of the irqlab crypto engine, registered as fake device "crypto":
// the registers, job ring and descriptor of the interface contract (docs/rtl.md,
// crypto; this file keeps its own copy of offsets and bits), with its own simple timing
// and no bus cycles.
//
//   Jobs          the engine works while CTRL.EN, !STATUS.HALT_ERR, JR_SIZE != 0 and
//                 JR_HEAD != JR_TAIL. A job starts at the cycle it becomes eligible (the
//                 doorbell or EN write, or the previous job's end) and ends job_cycles()
//                 later; at its end the whole job takes effect at once: descriptor read,
//                 OPCODE/LENGTH check (BAD_OPCODE, BAD_LENGTH: STATUS written with the
//                 error, INTR_STATE.ERR, head advances, the next job runs), key read,
//                 ChaCha20 of SRC into DST (OpenSSL EVP_chacha20, counter wrapping mod
//                 2^32 as RFC 8439), STATUS (DONE) written, head advances.
//   DMA faults    an access outside the fake machine's RAM, or a fault the test injects
//                 into the n-th job started (fail_job), is a d_error: in the data or key
//                 phase STATUS gets DONE | ERROR 3; in the descriptor fetch or the status
//                 write nothing is written; then INTR_STATE.ERR and STATUS.HALT_ERR, head
//                 stays at the job, nothing runs until CTRL.SRST.
//   Coalescing    completions with IRQ_ON_DONE count; at max(COUNT, 1) INTR_STATE.DONE is
//                 raised and the count restarts; with TIMEOUT != 0 the first counted
//                 completion after a DONE starts a timer that raises DONE TIMEOUT cycles
//                 later if the count was not reached first. ERR is never coalesced.
//   Line          INTR_STATE & INTR_ENABLE != 0 (level).
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "fake_devices/fake_device.h"

namespace irqlab::kernel::test {

// Where an injected DMA fault hits a job.
enum class FakeCryptoFault { DescriptorFetch, Data, StatusWrite };

class FakeCrypto final : public FakeDevice {
 public:
  static constexpr Cycle kDefaultJobCycles = 200;

  FakeCrypto(const PlatformDevice& device, const PlatformMap& platform, unsigned harts);

  Addr window() const override { return 0x1000; }
  std::uint32_t access(const FakeAccess& a) override;
  void advance(Cycle at) override;
  Cycle next_event() const override;
  bool line(unsigned line) const override { return line == 0 && (intr_state_ & intr_enable_) != 0; }

  // Test API, host side.
  void connect_memory(std::span<std::uint8_t> ram, Addr base) {
    ram_ = ram;
    ram_base_ = base;
  }
  void set_job_cycles(Cycle cycles) { job_cycles_ = cycles; }
  // The `nth` job started from now on (0 = the next) meets a DMA fault at `where`.
  void fail_job(unsigned nth, FakeCryptoFault where) { faults_[started_ + nth] = where; }
  unsigned started() const { return started_; }      // jobs started (re-runs included)
  unsigned completed() const { return completed_; }  // STATUS written with DONE
  unsigned srst_count() const { return srst_count_; }
  std::uint32_t head() const { return head_; }
  std::uint32_t tail() const { return tail_; }

 private:
  void reset_engine();
  void try_start(Cycle at);
  void finish_job(Cycle at);
  void halt();
  void count_completion(Cycle at);
  std::optional<std::span<std::uint8_t>> memory(std::uint64_t addr, std::size_t size);

  std::span<std::uint8_t> ram_;
  Addr ram_base_ = 0;
  Cycle job_cycles_ = kDefaultJobCycles;
  std::uint32_t ctrl_ = 0, base_lo_ = 0, base_hi_ = 0, size_ = 0, head_ = 0, tail_ = 0;
  std::uint32_t intr_state_ = 0, intr_enable_ = 0, coal_ = 0;
  bool halted_ = false;
  Cycle job_end_ = kNever;  // the running job's end, kNever when idle
  Cycle timer_end_ = kNever;
  unsigned coalesced_ = 0;  // counted completions since DONE was last raised
  unsigned started_ = 0, completed_ = 0, srst_count_ = 0;
  std::map<unsigned, FakeCryptoFault> faults_;  // by job start number
};

}  // namespace irqlab::kernel::test
