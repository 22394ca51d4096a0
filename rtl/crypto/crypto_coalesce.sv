// crypto_coalesce: completion coalescing of the crypto engine's DONE interrupt (COAL).
//
// completion_i is high for one cycle per completed job with IRQ_ON_DONE (the cycle of
// job_done_o, one after its status write retired). With N = max(COUNT, 1) and T = TIMEOUT:
// - count: the completion that makes the completions since DONE was last raised reach N
//   raises DONE (done_o, the prim_intr_reg event) in its own cycle c;
// - timeout (T != 0): a counted completion in cycle c that finds no timer running starts
//   one; unless the count raises DONE first, DONE is raised in cycle c + T;
// - raising DONE by either means restarts both (count 0, timer stopped); a completion in
//   the cycle the timer expires is included in that DONE;
// - clear_i (CTRL.SRST) stops the timer and zeroes the count, at its edge.
// COUNT and TIMEOUT are read live: a changed COUNT applies from the next completion, a
// running timer keeps the T it was started with.
// Quiescence: no timer running and no completion.
module crypto_coalesce (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        clear_i,
  input  logic [7:0]  count_i,
  input  logic [15:0] timeout_i,
  input  logic        completion_i,
  output logic        done_o,
  output logic        quiescent_o
);

  logic [7:0]  count_q;   // counted completions since DONE was last raised
  logic [15:0] timer_q;   // cycles until the timeout raises DONE, 0 when not running
  logic [8:0]  threshold;
  logic        by_count, by_timeout;

  assign threshold  = (count_i == 8'd0) ? 9'd1 : {1'b0, count_i};
  assign by_count   = completion_i && ({1'b0, count_q} + 9'd1 >= threshold);
  assign by_timeout = (timer_q == 16'd1);
  assign done_o     = by_count || by_timeout;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      count_q <= '0;
      timer_q <= '0;
    end else if (clear_i || done_o) begin
      count_q <= '0;
      timer_q <= '0;
    end else begin
      if (completion_i) begin
        count_q <= count_q + 8'd1;
      end
      if (timer_q != 16'd0) begin
        timer_q <= timer_q - 16'd1;
      end else if (completion_i) begin
        timer_q <= timeout_i;
      end
    end
  end

  assign quiescent_o = (timer_q == 16'd0) && !completion_i;

`ifndef SYNTHESIS
  // A timer only runs for completions not yet signalled.
  TimerRunsOnlyWithCount: assert property (@(posedge clk_i) disable iff (!rst_ni)
    timer_q != 16'd0 |-> count_q != 8'd0);
  QuiescentHoldsState: assert property (@(posedge clk_i) disable iff (!rst_ni)
    quiescent_o && !clear_i |=> $stable(count_q) && $stable(timer_q));
`endif

endmodule
