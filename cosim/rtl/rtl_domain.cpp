#include "rtl/rtl_domain.h"

#include <algorithm>
#include <malloc.h>
#include <stdexcept>

#include "Virqlab_cosim_top.h"
#include "rtl/clock_edge.h"
#include "rtl/crypto_port.h"
#include "rtl/nic_port.h"
#include "rtl/rtl_assertions.h"
#include "verilated.h"
#include "verilated_fst_c.h"

namespace irqlab::cosim {

namespace {

// Heap growth kept rather than trimmed while the FST closes: above its largest buffer.
constexpr int kCloseHeapSlack = 4 << 20;

// Calls f(bit) for every set bit of `bits`, lowest first.
template <typename F>
void for_each_bit(std::uint32_t bits, F f) {
  while (bits != 0) {
    const unsigned bit = static_cast<unsigned>(__builtin_ctz(bits));
    f(bit);
    bits &= bits - 1;
  }
}

}  // namespace

RtlDomain::RtlDomain(std::uint64_t period_ps, const std::optional<WaveOptions>& waves,
                     bool skip_quiescent, bool evaluate_every_falling_edge)
    : context_(std::make_unique<VerilatedContext>()),
      period_ps_(period_ps),
      skip_quiescent_(skip_quiescent),
      evaluate_every_falling_edge_(evaluate_every_falling_edge) {
  if (period_ps == 0 || period_ps % 2 != 0)
    throw std::invalid_argument("clock period must be a positive even number of picoseconds");
  if (period_ps >= (std::uint64_t{1} << 24))
    throw std::invalid_argument(
        "clock period must be below 2^24 ps (the NIC's clock-period strap)");
  top_ = std::make_unique<Virqlab_cosim_top>(context_.get(), "TOP");
  timer_ = std::make_unique<TimerCounters>(*top_->rootp, soc::kMaxHarts);
  nic_timers_ = std::make_unique<NicIntervalTimers>(*top_->rootp, period_ps);
  if (waves) {
    wave_window_ = {waves->start, waves->end};
    context_->traceEverOn(true);
    fst_ = std::make_unique<VerilatedFstC>();
    // Signal selection: `depth` levels below the top, and the kernel and lock probes whatever
    // the depth (the GTKWave save file shows them).
    const std::string top = "TOP.irqlab_cosim_top";
    fst_->dumpvars(static_cast<int>(waves->depth), top);
    for (unsigned h = 0; h < std::min(waves->harts, soc::kMaxHarts); ++h)
      fst_->dumpvars(2, top + ".g_hart[" + std::to_string(h) + "]");
    for (unsigned l = 0; l < soc::kLockProbes; ++l) fst_->dumpvars(2, top + ".g_lock[" + std::to_string(l) + "]");
    top_->trace(fst_.get(), 99);
    fst_->open(waves->file.c_str());
    if (!fst_->isOpen()) throw std::runtime_error("cannot write waves to " + waves->file.string());
  }
  // Asynchronous reset before the first sample; cycle 0 is the reset state.
  top_->clk_i = 1;
  top_->rst_ni = 1;
  top_->eval();
  top_->rst_ni = 0;
  top_->eval();
  top_->rst_ni = 1;
  top_->tl_d_ready_i = 1;
  // The NIC: its clock-period strap; its other inputs idle until attach_nic() serves them
  // (rtl/nic_port.h).
  top_->nic_clk_period_ps_i = static_cast<std::uint32_t>(period_ps);
  top_->nic_dma_a_ready_i = 0;
  top_->nic_dma_d_valid_i = 0;
  top_->nic_dma_d_data_i = 0;
  top_->nic_dma_d_error_i = 0;
  top_->nic_mac_rx_valid_i = 0;
  top_->nic_mac_rx_data_i = 0;
  top_->nic_mac_rx_keep_i = 0;
  top_->nic_mac_rx_last_i = 0;
  top_->nic_mac_tx_ready_i = 0;
  // The crypto engine's DMA: idle until attach_crypto() serves it (rtl/crypto_port.h).
  top_->crypto_dma_a_ready_i = 0;
  top_->crypto_dma_d_valid_i = 0;
  top_->crypto_dma_d_data_i = 0;
  top_->crypto_dma_d_error_i = 0;
  top_->eval();
  sample(0);
  last_irq_ = top_->irq_o;
}

RtlDomain::~RtlDomain() { close_waves(); }

void RtlDomain::close_waves() {
  if (!fst_) return;
  // Closing an FST allocates and frees a few buffers of 16 to 300 KB in turn (the block's
  // compression buffers, LZ4's and zlib's states). With glibc's default trimming each
  // free() at the heap's top hands the pages back and the next malloc() faults them in
  // again, which doubled the fixed cost of closing (docs/performance.md, "Where traced
  // time goes"). The run is ending, so the heap keeps what it has from here on.
  mallopt(M_TRIM_THRESHOLD, kCloseHeapSlack);
  mallopt(M_TOP_PAD, kCloseHeapSlack);
  fst_->close();
  fst_.reset();
}

void RtlDomain::step() {
  apply_line_changes();
  if (nic_ && nic_->drive(cycle_)) inputs_changed_ = true;
  if (crypto_ && crypto_->drive(cycle_)) inputs_changed_ = true;
  top_->clk_i = 0;
  // Unchanged inputs: the evaluation would recompute what the last one settled (header).
  if (evaluate_every_falling_edge_ || inputs_changed_ || probes_changed_ ||
      !record_clock_low(*top_->rootp))
    top_->eval();
  sample(cycle_ * period_ps_ + period_ps_ / 2);
  observe_inputs();
  if (nic_) nic_->before_edge(cycle_);
  if (crypto_) crypto_->before_edge(cycle_);
  top_->clk_i = 1;
  // The last evaluation, or the falling edge's record, saw every other input as it is now:
  // the input pass would recompute what it settled (rtl/clock_edge.h).
  if (evaluate_every_falling_edge_ || !evaluate_rising_edge_with_settled_inputs(*top_))
    top_->eval();
  if (!context_->assertOn()) context_->assertOn(true);  // the edge after a skip was not checked
  ++cycle_;
  if (nic_) nic_->after_edge(cycle_ - 1);
  if (crypto_) crypto_->after_edge(cycle_ - 1);
  ++evaluated_;
  inputs_changed_ = false;
  probes_changed_ = false;
  sample(cycle_ * period_ps_);
  check_assertions();
  observe_state();
}

void RtlDomain::check_assertions() {
  if (!context_->gotError()) return;
  context_->gotError(false);
  context_->gotFinish(false);
  const std::optional<RtlAssertionReport> report = take_rtl_assertion();
  throw RtlAssertionFailure(
      "RTL assertion failed at cycle " + std::to_string(cycle_) + ": " +
      (report ? report->text + " (" + report->file + ":" + std::to_string(report->line) + ")"
              : std::string("the model stopped without a report")));
}

void RtlDomain::sample(std::uint64_t time_ps) {
  if (fst_ && cycle_ >= wave_window_.first && cycle_ < wave_window_.second) fst_->dump(time_ps);
}

Cycle RtlDomain::run_until(Cycle limit, unsigned hart_mask) {
  while (cycle_ < limit && (top_->irq_o & hart_mask) == 0) {
    const Cycle k = quiescent_cycles(limit);
    if (k != 0) {
      skip(k);
    } else {
      step();
    }
  }
  return cycle_;
}

Cycle RtlDomain::quiescent_cycles(Cycle limit) {
  if (!skip_quiescent_ || inputs_changed_ || top_->quiescent_o == 0) return 0;
  Cycle until = limit;
  if (!pending_.empty()) until = std::min(until, pending_.begin()->first);
  if (nic_)
    if (const std::optional<Cycle> next = nic_->next_change(cycle_)) until = std::min(until, *next);
  if (crypto_)
    if (const std::optional<Cycle> next = crypto_->next_change(cycle_))
      until = std::min(until, *next);
  const Cycle match = timer_->cycles_to_match();
  if (match != kNoMatch) until = std::min(until, cycle_ + match);
  const Cycle expiry = nic_timers_->cycles_to_expiry();
  if (expiry != kNoExpiry) until = std::min(until, cycle_ + expiry);
  return until > cycle_ ? until - cycle_ : 0;
}

void RtlDomain::skip(Cycle k) {
  if (probes_changed_) {
    // Kernel probes feed only the trace: record their change where a clocked run does,
    // at this cycle's falling edge, without clocking the SoC.
    top_->eval();
    sample(cycle_ * period_ps_ + period_ps_ / 2);
    probes_changed_ = false;
  }
  timer_->advance(k);
  nic_timers_->advance(k);
  cycle_ += k;
  // The counters were written out of band: the next edge's assertions would compare them
  // with their values before the jump ($past) and see a jump no clock made
  // (MtimeMovesOnlyByStep, QuiescentHoldsState). That one edge goes unchecked; $past
  // samples it, so the edges after it are checked against consistent values.
  context_->assertOn(false);
  // Settle what depends on the counters (the compare) at the new cycle; the clock stays
  // high, so no edge is taken. Only a compare match or a NIC interval's expiry can have
  // changed a traced signal (the counters and accumulators are not traced), and either ends
  // quiescence: then the sample at the cycle's
  // start records it, as a clocked run would.
  top_->eval();
  if (top_->quiescent_o == 0) sample(cycle_ * period_ps_);
  check_assertions();
}

void RtlDomain::apply_line_changes() {
  if (pending_.empty() || pending_.begin()->first > cycle_) return;
  do {
    // The node goes back in with the source's next change: no allocation per change.
    auto node = pending_.extract(pending_.begin());
    PendingChange& change = node.mapped();
    if (change.level) {
      ext_lines_ |= 1U << change.line;
    } else {
      ext_lines_ &= ~(1U << change.line);
    }
    if (const std::optional<models::LineChange> next = change.source->next_change()) {
      node.key() = next->at;
      change.level = next->level;
      pending_.insert(std::move(node));
    }
  } while (!pending_.empty() && pending_.begin()->first <= cycle_);
  top_->ext_irq_i = ext_lines_;
  inputs_changed_ = true;
}

void RtlDomain::observe_inputs() {
  const std::uint32_t sources = top_->irq_src_o;
  const std::uint32_t changed = sources ^ last_sources_;
  last_sources_ = sources;
  if (changed == 0 || tracer_ == nullptr) return;
  for_each_bit(changed, [&](unsigned source) {
    tracer_->emit(cycle_, 0, kernel::TraceKind::SourceLine, source, (sources >> source) & 1U);
  });
}

void RtlDomain::observe_state() {
  const std::uint32_t pending = top_->plic_ip_o;
  const std::uint32_t new_requests = pending & ~last_pending_;
  last_pending_ = pending;
  const std::uint32_t irq = top_->irq_o;
  const std::uint32_t changed = irq ^ last_irq_;
  last_irq_ = irq;
  if (tracer_ == nullptr) return;
  for_each_bit(new_requests, [&](unsigned source) {
    tracer_->emit(cycle_ - 1, 0, kernel::TraceKind::GatewayRequest, source);
  });
  for_each_bit(changed, [&](unsigned hart) {
    tracer_->emit(cycle_, hart, kernel::TraceKind::HartLine, 0, (irq >> hart) & 1U);
  });
}

bool RtlDomain::irq_line(unsigned hart) const { return (top_->irq_o >> hart) & 1U; }

unsigned RtlDomain::irq_lines() const { return top_->irq_o; }

void RtlDomain::drive_request(const TlRequest& request) {
  inputs_changed_ = true;
  top_->tl_a_valid_i = 1;
  top_->tl_a_opcode_i = opcode_of(request);
  top_->tl_a_address_i = request.address;
  top_->tl_a_mask_i = tlul::kFullMask;
  top_->tl_a_data_i = request.data;
  top_->tl_a_source_i = request.source;
}

void RtlDomain::drive_idle() {
  top_->tl_a_valid_i = 0;
  inputs_changed_ = true;
}

bool RtlDomain::request_accepted_at_edge() const {
  return top_->tl_a_valid_i != 0 && top_->tl_a_ready_o != 0;
}

std::optional<TlResponse> RtlDomain::response() const {
  if (top_->tl_d_valid_o == 0) return std::nullopt;
  return TlResponse{top_->tl_d_error_o != 0, top_->tl_d_data_o};
}

void RtlDomain::emit_into(const kernel::Tracer& tracer) {
  tracer_ = &tracer;
  if (nic_) nic_->emit_into(tracer);
  if (crypto_) crypto_->emit_into(tracer);
}

void RtlDomain::attach_nic(DmaTarget& dma, models::net::MacWire* wire, models::net::MacTxSink& tx) {
  nic_ = std::make_unique<NicPort>(*top_, dma, wire, tx);
  if (tracer_ != nullptr) nic_->emit_into(*tracer_);
  inputs_changed_ = true;
}

void RtlDomain::attach_crypto(DmaTarget& dma) {
  crypto_ = std::make_unique<CryptoPort>(*top_, dma);
  if (tracer_ != nullptr) crypto_->emit_into(*tracer_);
  inputs_changed_ = true;
}

NicCounterValues RtlDomain::nic_counters() const {
  return {top_->nic_mpc_o,  top_->nic_rlec_o, top_->nic_rnbc_o, top_->nic_gprc_o,
          top_->nic_gptc_o, top_->nic_gorc_o, top_->nic_gotc_o};
}

void RtlDomain::attach_line(unsigned line, models::LineSource& source) {
  if (line >= kNumExtLines) throw std::out_of_range("no external interrupt line " + std::to_string(line));
  const std::optional<models::LineChange> first = source.next_change();
  if (!first) return;
  if (first->at < cycle_) throw std::logic_error("line change scheduled in the past");
  pending_.emplace(first->at, PendingChange{line, first->level, &source});
}

void RtlDomain::set_kernel_probe(unsigned hart, const KernelProbe& probe) {
  const unsigned activity = static_cast<unsigned>(probe.activity) & 3U;
  const std::uint64_t lwp_mask = 0xFFFFULL << (16 * hart);
  const auto activity_i =
      (top_->kernel_activity_i & ~(3U << (2 * hart))) | (activity << (2 * hart));
  const auto in_irq_i =
      (top_->kernel_in_irq_i & ~(1U << hart)) | (static_cast<unsigned>(probe.in_interrupt) << hart);
  const auto handler_i =
      (top_->kernel_handler_i & ~(0xFFU << (8 * hart))) | ((probe.handler & 0xFFU) << (8 * hart));
  const auto lwp_i =
      (top_->kernel_lwp_i & ~lwp_mask) | (std::uint64_t{probe.lwp & 0xFFFFU} << (16 * hart));
  const auto lock_wait_i = (top_->kernel_lock_wait_i & ~(0xFFU << (8 * hart))) |
                           (std::min(probe.lock_wait, 0xFFU) << (8 * hart));
  const auto deferred_i = (top_->kernel_deferred_i & ~lwp_mask) |
                          (std::uint64_t{std::min(probe.deferred, 0xFFFFU)} << (16 * hart));
  // Most kernel events leave the probes as they were (an Activity event repeating the
  // activity, a lock taken by a hart that waited for none): only a change costs a wave
  // sample (and, inside a quiescent stretch, an evaluation; skip()).
  if (activity_i == top_->kernel_activity_i && in_irq_i == top_->kernel_in_irq_i &&
      handler_i == top_->kernel_handler_i && lwp_i == top_->kernel_lwp_i &&
      lock_wait_i == top_->kernel_lock_wait_i && deferred_i == top_->kernel_deferred_i)
    return;
  probes_changed_ = true;
  top_->kernel_activity_i = activity_i;
  top_->kernel_in_irq_i = in_irq_i;
  top_->kernel_handler_i = handler_i;
  top_->kernel_lwp_i = lwp_i;
  top_->kernel_lock_wait_i = lock_wait_i;
  top_->kernel_deferred_i = deferred_i;
}

void RtlDomain::set_lock_owner(unsigned lock, unsigned owner) {
  std::uint32_t& word = top_->kernel_lock_owner_i[lock / 2];
  const unsigned shift = 16 * (lock % 2);
  const std::uint32_t updated = (word & ~(0xFFFFU << shift)) | ((owner & 0xFFFFU) << shift);
  if (updated == word) return;  // as for the kernel probes: only a change costs a sample
  probes_changed_ = true;
  word = updated;
}

}  // namespace irqlab::cosim
