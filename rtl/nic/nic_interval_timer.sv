// nic_interval_timer: measures an interval of N units of UnitPs picoseconds from a start
// cycle, exactly, for any clock period (the e1000's ITR, RDTR and RADV timers).
//
// Cycle contract: start_i high in cycle s (re)starts the timer; expire_o is high in the
// first cycle x > s with (x - s) * period_ps_i >= units_i * UnitPs, i.e. in cycle
// s + ceil(units_i * UnitPs / period_ps_i) (s + 1 when units_i = 0), and the timer stops
// at the edge after it. The accumulator holds the picoseconds elapsed since s, so the
// expiry is the first cycle at or after the end of the interval, with no rounding of the
// unit to whole cycles. stop_i (in a cycle without start_i) stops it; clear_i (the NIC's
// soft reset) stops it and wins over everything. running_o is high from s + 1 to the
// expiry (or the stop) included. units_i and period_ps_i are read every cycle (a change
// applies at once).
// Quiescence and the counting law: quiescent_o is high when, at the next edge, no flop
// changes except the accumulator counting on: not started, not cleared, and either idle
// or running with neither expiry nor stop in this cycle. While inputs hold, a running
// timer's accumulator is then free-running state with a closed-form law, elapsed_q + k *
// period_ps_i after k edges, and it expires in the first cycle in which elapsed_q >=
// units_i * UnitPs, ceil((interval - elapsed_q) / period_ps_i) cycles from now
// (cosim/rtl/nic_interval_law.h). A simulator may jump a quiescent stretch to that cycle
// by writing the accumulator instead of clocking it: running_q and interval_o are public
// to read, elapsed_q public to write, and elapsed_q is kept out of the waves (it changes
// every cycle while running).
module nic_interval_timer #(
  parameter int unsigned UnitPs = 256000
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        clear_i,
  input  logic        start_i,
  input  logic        stop_i,
  input  logic [23:0] period_ps_i,
  input  logic [15:0] units_i,
  output logic        running_o,
  output logic        expire_o,
  output logic        quiescent_o
);

  // 16-bit units times a unit below 2^21 ps, plus one period: below 2^38.
  localparam int unsigned ElapsedW = 38;

  logic                running_q /* verilator public_flat_rd */;
  logic [ElapsedW-1:0] interval  /* verilator public_flat_rd */;
  /* verilator tracing_off */
  logic [ElapsedW-1:0] elapsed_q /* verilator public_flat_rw */;
  /* verilator tracing_on */

  assign interval    = ElapsedW'(units_i) * ElapsedW'(UnitPs);
  assign expire_o    = running_q && (elapsed_q >= interval);
  assign running_o   = running_q;
  assign quiescent_o = !start_i && !clear_i && (!running_q || (!expire_o && !stop_i));

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      running_q <= 1'b0;
      elapsed_q <= '0;
    end else if (clear_i) begin
      running_q <= 1'b0;
      elapsed_q <= '0;
    end else if (start_i) begin
      running_q <= 1'b1;
      elapsed_q <= ElapsedW'(period_ps_i);
    end else if (running_q) begin
      if (expire_o || stop_i) begin
        running_q <= 1'b0;
        elapsed_q <= '0;
      end else begin
        elapsed_q <= elapsed_q + ElapsedW'(period_ps_i);
      end
    end
  end

`ifndef SYNTHESIS
  // A running timer has measured at least one period since its start.
  RunningHasElapsed: assert property (@(posedge clk_i) disable iff (!rst_ni)
    running_q |-> elapsed_q >= ElapsedW'(period_ps_i));
  // Quiescent: only the accumulator moves, by one period while running (the law above).
  QuiescentOnlyCounts: assert property (@(posedge clk_i) disable iff (!rst_ni)
    quiescent_o |=> $stable(running_q) &&
                    elapsed_q == $past(elapsed_q) +
                                 ($past(running_q) ? ElapsedW'($past(period_ps_i)) : '0));
`endif

endmodule
