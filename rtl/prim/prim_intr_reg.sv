// prim_intr_reg: the interrupt registers every irqlab device shares (OpenTitan convention),
// Width interrupt bits, bit i independent of the others:
//   INTR_STATE   rw1c: set by the hardware event (event_i, sampled every edge) or by
//                INTR_TEST; a software write of 1 clears it unless a set arrives at the
//                same edge (a set wins over the clear).
//   INTR_ENABLE  read/write.
//   INTR_TEST    write-only: writing 1 sets INTR_STATE; reads 0 (the device's read mux
//                returns 0 for it, this cell has no read path).
//   intr_o       = INTR_STATE & INTR_ENABLE, registered (one edge after either changes).
// The device decodes its own register map and drives the per-bit strobes below, so one
// cell serves a device with one 32-bit INTR_* register set and one with a 1-bit register
// per hart alike. Writes of 0 to INTR_STATE or INTR_TEST do nothing: the device passes
// the written data ANDed with its register select as state_clear_i / test_set_i.
//
// Timing: a strobe or an event in cycle c changes INTR_STATE/INTR_ENABLE at edge c+1 and
// intr_o at edge c+2.
// Quiescence: quiescent_o is high when the next edge changes none of the three registers.
// Assertions (`ifndef SYNTHESIS): an event or a test write always leaves INTR_STATE set;
// intr_o is the previous cycle's INTR_STATE & INTR_ENABLE.
module prim_intr_reg #(
  parameter int unsigned Width = 1
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic [Width-1:0] event_i,         // hardware set, level: sets at every edge
  input  logic [Width-1:0] state_clear_i,   // software wrote 1 to these INTR_STATE bits
  input  logic [Width-1:0] test_set_i,      // software wrote 1 to these INTR_TEST bits
  input  logic [Width-1:0] enable_we_i,     // software writes these INTR_ENABLE bits ...
  input  logic [Width-1:0] enable_wdata_i,  // ... with these values
  output logic [Width-1:0] state_o,         // INTR_STATE, for the device's read mux
  output logic [Width-1:0] enable_o,        // INTR_ENABLE, for the device's read mux
  output logic [Width-1:0] intr_o,
  output logic             quiescent_o
);

  logic [Width-1:0] state_d, state_q;
  logic [Width-1:0] enable_d, enable_q;
  logic [Width-1:0] intr_d, intr_q;

  assign state_d  = (state_q & ~state_clear_i) | test_set_i | event_i;
  assign enable_d = (enable_q & ~enable_we_i) | (enable_wdata_i & enable_we_i);
  assign intr_d   = state_q & enable_q;

  assign quiescent_o = (state_d == state_q) && (enable_d == enable_q) && (intr_d == intr_q);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q  <= '0;
      enable_q <= '0;
      intr_q   <= '0;
    end else begin
      state_q  <= state_d;
      enable_q <= enable_d;
      intr_q   <= intr_d;
    end
  end

  assign state_o  = state_q;
  assign enable_o = enable_q;
  assign intr_o   = intr_q;

`ifndef SYNTHESIS
  SetWinsOverClear: assert property (@(posedge clk_i) disable iff (!rst_ni)
    1'b1 |=> (state_q & $past(event_i | test_set_i)) == $past(event_i | test_set_i));
  IntrIsStateAndEnable: assert property (@(posedge clk_i) disable iff (!rst_ni)
    1'b1 |=> intr_o == $past(state_q & enable_q));
`endif

endmodule
