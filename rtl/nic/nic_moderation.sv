// nic_moderation: the e1000's receive interrupt delay (RDTR, RADV) and interrupt
// throttling (ITR), each timed exactly from the clock period (nic_interval_timer).
//
// RXT0 (rxt0_o, a pulse that sets ICR.RXT0 at the next edge), with frame_done_i the cycle
// e in which a received frame's descriptor write-back completed:
//   RDTR = 0:  rxt0_o in cycle e itself, for every frame (RADV unused).
//   RDTR = N:  the packet timer (1.024 us units) restarts at every frame; rxt0_o in cycle
//              e_last + ceil(N * 1024000 ps / period) if no frame comes in between.
//   RADV = M:  the absolute timer starts at the first frame after the last RXT0 (e_first)
//              and is not restarted: rxt0_o at the latest in e_first + ceil(M * 1024000 ps
//              / period). RADV = 0: off.
//   FPD:       a write of RDTR with bit 31 (fpd_i in the write's cycle) gives rxt0_o in that
//              cycle when frames are waiting (a timer runs); otherwise it does nothing.
//   Whichever fires, both timers stop: the next frame starts them again.
// Interrupt line: intr_o = |(ICR & IMS), registered (pending_i in cycle c -> intr_o in
// cycle c+1), except that with ITR = T != 0 it rises at most once per interval: after a
// rise in cycle a, the next rise is in cycle a + ceil(T * 256000 ps / period) at the
// earliest. It falls as soon as nothing is pending. ITR = 0: no throttling.
// Quiescence: no timer started, stopped or expiring (a running one only counts, by its
// law: nic_interval_timer.sv) and intr_o equal to its next value. A stretch in which a
// timer only counts ends at its expiry, the cycle the law gives.
module nic_moderation (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        clear_i,        // the NIC's soft reset (CTRL.RST)
  input  logic [23:0] period_ps_i,
  input  logic [15:0] itr_i,
  input  logic [15:0] rdtr_i,
  input  logic [15:0] radv_i,
  input  logic        fpd_i,
  input  logic        frame_done_i,
  input  logic        pending_i,      // |(ICR & IMS)
  output logic        rxt0_o,
  output logic        intr_o,
  output logic        quiescent_o
);

  localparam int unsigned ItrUnitPs = 256000;   // 256 ns
  localparam int unsigned RxUnitPs  = 1024000;  // 1.024 us

  logic rdtr_running, rdtr_expire, rdtr_quiescent;
  logic radv_running, radv_expire, radv_quiescent;
  logic itr_running, itr_expire, itr_quiescent;
  logic frames_waiting, rdtr_start, radv_start, rx_stop;
  logic intr_q, intr_d, intr_rise, intr_allowed;

  assign frames_waiting = rdtr_running || radv_running;
  assign rxt0_o     = rdtr_expire || radv_expire || (fpd_i && frames_waiting) ||
                      (frame_done_i && (rdtr_i == '0));
  assign rx_stop    = rxt0_o;
  assign rdtr_start = frame_done_i && !rxt0_o;
  assign radv_start = frame_done_i && !rxt0_o && !radv_running && (radv_i != '0);

  nic_interval_timer #(
    .UnitPs (RxUnitPs)
  ) u_rdtr (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .clear_i     (clear_i),
    .start_i     (rdtr_start),
    .stop_i      (rx_stop),
    .period_ps_i (period_ps_i),
    .units_i     (rdtr_i),
    .running_o   (rdtr_running),
    .expire_o    (rdtr_expire),
    .quiescent_o (rdtr_quiescent)
  );

  nic_interval_timer #(
    .UnitPs (RxUnitPs)
  ) u_radv (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .clear_i     (clear_i),
    .start_i     (radv_start),
    .stop_i      (rx_stop),
    .period_ps_i (period_ps_i),
    .units_i     (radv_i),
    .running_o   (radv_running),
    .expire_o    (radv_expire),
    .quiescent_o (radv_quiescent)
  );

  // ITR: the interval runs from the cycle before a rise (when intr_d goes high), so a rise
  // in cycle a allows the next one in cycle a + ceil(T / period) (the expiry cycle is the
  // last cycle of the interval and already allows the next rise).
  assign intr_allowed = (itr_i == '0) || !itr_running || itr_expire;
  assign intr_d       = pending_i && (intr_q || intr_allowed);
  assign intr_rise    = intr_d && !intr_q && (itr_i != '0);

  nic_interval_timer #(
    .UnitPs (ItrUnitPs)
  ) u_itr (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .clear_i     (clear_i),
    .start_i     (intr_rise),
    .stop_i      (itr_i == '0),
    .period_ps_i (period_ps_i),
    .units_i     (itr_i),
    .running_o   (itr_running),
    .expire_o    (itr_expire),
    .quiescent_o (itr_quiescent)
  );

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      intr_q <= 1'b0;
    end else if (clear_i) begin
      intr_q <= 1'b0;
    end else begin
      intr_q <= intr_d;
    end
  end

  assign intr_o      = intr_q;
  assign quiescent_o = rdtr_quiescent && radv_quiescent && itr_quiescent &&
                       (intr_q == intr_d) && !clear_i;

`ifndef SYNTHESIS
  // With throttling on, a rise happens only when the interval since the last one is over.
  ItrSpacing: assert property (@(posedge clk_i) disable iff (!rst_ni)
    (intr_d && !intr_q && itr_i != '0) |-> (!itr_running || itr_expire));
  QuiescentHoldsState: assert property (@(posedge clk_i) disable iff (!rst_ni)
    quiescent_o |=> $stable(intr_q));
`endif

endmodule
