// plic_target: one PLIC context (OpenTitan rv_plic_target interface).
//
// Selects, among the candidates (ip & ie & prio != 0), the highest priority; ties go to
// the lower ID. Priority 0 never takes part (it disables the source).
//   irq_o      = (max priority > threshold)
//   irq_id_o   = ID of the highest-priority pending enabled source, 0 if none. It is
//                computed WITHOUT the threshold ("the threshold does not affect a claim").
//   claim_id_o = the same ID for the current cycle's ip/ie/prio: what a claim in this
//                cycle must return.
// Timing: irq_o and irq_id_o are registered: they reflect ip/ie/prio/threshold of the
// previous cycle (a change at edge e shows at edge e+1). claim_id_o is combinational from
// the inputs (all flops in plic.sv), so a claim never sees a stale ID.
// Quiescence: quiescent_o is high when the next edge changes neither output register.
//
// Structure (same result as a max tree whose right child wins only with a strictly greater
// priority, but word-parallel, which simulates much faster): the priorities come split into
// PrioW bit planes (prio_plane_i, plane b = bit b of every source's priority; plic.sv keeps
// them in registers written with the priorities, so they are not sliced again every
// cycle). A radix descent from the MSB keeps, at each bit, only the candidates that have
// that bit set if any do; what remains are the candidates with the maximum priority, and
// the lowest set bit of that set (one-hot, then encoded with constant masks) is the ID.
module plic_target #(
  parameter  int unsigned NumSrc = 32,
  parameter  int unsigned PrioW  = 3,
  localparam int unsigned IdW    = $clog2(NumSrc)
) (
  input  logic                    clk_i,
  input  logic                    rst_ni,
  input  logic [NumSrc-1:0]       ip_i,
  input  logic [NumSrc-1:0]       ie_i,
  input  logic [NumSrc*PrioW-1:0] prio_i,        // read by the assertions' reference only
  /* verilator tracing_off */
  input  logic [PrioW*NumSrc-1:0] prio_plane_i,  // the same priorities as bit planes
  input  logic [NumSrc-1:0]       prio_nz_i,     // priority != 0, per source
  /* verilator tracing_on */
  input  logic [PrioW-1:0]        threshold_i,
  output logic                    irq_o,
  output logic [IdW-1:0]          irq_id_o,
  output logic [IdW-1:0]          claim_id_o,
  output logic                    quiescent_o
);

  // IdMask[k*NumSrc + i] = bit k of i: encodes a one-hot source vector into its ID.
  function automatic logic [IdW*NumSrc-1:0] id_masks(input int unsigned num_src);
    logic [IdW*NumSrc-1:0] m;
    m = '0;
    for (int unsigned k = 0; k < IdW; k++) begin
      for (int unsigned i = 0; i < num_src; i++) begin
        m[k*NumSrc + i] = ((i >> k) & 1) == 1;
      end
    end
    id_masks = m;
  endfunction
  localparam logic [IdW*NumSrc-1:0] IdMask = id_masks(NumSrc);

  logic [PrioW*NumSrc-1:0] prio_bit;  // plane b at [b*NumSrc +: NumSrc]: bit b of each priority
  logic [NumSrc-1:0] prio_nz;           // priority != 0
  logic [NumSrc-1:0] sel, sel_b, first;
  logic [PrioW-1:0]  max_prio;
  logic              vld;

  logic           irq_d, irq_q;
  logic [IdW-1:0] irq_id_d, irq_id_q;

  // The planes come from plic.sv's registers, written with the priorities (prio_i).
  assign prio_bit = prio_plane_i;
  assign prio_nz  = prio_nz_i;
`ifdef SYNTHESIS
  logic unused_prio;
  assign unused_prio = ^prio_i;
`endif

  always_comb begin
    sel      = ip_i & ie_i & prio_nz;
    vld      = |sel;
    max_prio = '0;
    // Radix descent: sel ends as the candidates whose priority equals max_prio.
    for (int b = PrioW - 1; b >= 0; b--) begin
      sel_b = sel & prio_bit[b*NumSrc +: NumSrc];
      if (|sel_b) begin
        max_prio[b] = 1'b1;
        sel         = sel_b;
      end
    end
    // Lowest ID among them (sel is 0 when there is no candidate, giving ID 0).
    first = sel & (~sel + NumSrc'(1));
    for (int unsigned k = 0; k < IdW; k++) begin
      irq_id_d[k] = |(first & IdMask[k*NumSrc +: NumSrc]);
    end
    irq_d = vld & (max_prio > threshold_i);
  end

  assign quiescent_o = (irq_d == irq_q) && (irq_id_d == irq_id_q);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      irq_q    <= 1'b0;
      irq_id_q <= '0;
    end else begin
      irq_q    <= irq_d;
      irq_id_q <= irq_id_d;
    end
  end

  assign irq_o      = irq_q;
  assign irq_id_o   = irq_id_q;
  assign claim_id_o = irq_id_d;

`ifndef SYNTHESIS
  // Reference for the assertions, written as the spec states it (a plain scan, not the
  // radix descent above): is some pending enabled source's priority above the threshold?
  // The per-source comparison with the threshold (above) is the scan; it changes only with
  // a PRIO or THRESHOLD write, so it is kept from the last edge and scanned again only when
  // prio_i or threshold_i differ from what it was scanned with (the scan otherwise costs
  // the simulation more than the whole selection above, on every cycle).
  /* verilator tracing_off */
  logic [NumSrc-1:0]       above_d, above_q;  // above[i]: source i's priority > threshold
  logic [NumSrc*PrioW-1:0] above_prio_q;      // what above_q was scanned with
  logic [PrioW-1:0]        above_thr_q;
  /* verilator tracing_on */
  logic any_above_threshold;
  always_comb begin
    above_d = above_q;
    if ((prio_i != above_prio_q) || (threshold_i != above_thr_q)) begin
      above_d = '0;
      for (int unsigned i = 1; i < NumSrc; i++) begin
        above_d[i] = prio_i[i*PrioW +: PrioW] > threshold_i;
      end
    end
    any_above_threshold = |(ip_i & ie_i & above_d);
  end

  // Reset: every priority and the threshold are 0, so no source is above it.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      above_q      <= '0;
      above_prio_q <= '0;
      above_thr_q  <= '0;
    end else begin
      above_q      <= above_d;
      above_prio_q <= prio_i;
      above_thr_q  <= threshold_i;
    end
  end

  // irq_o is exactly "some pending enabled source above the threshold", one edge later.
  IrqImpliesEligibleSource: assert property (@(posedge clk_i) disable iff (!rst_ni)
    !any_above_threshold |=> !irq_o);
  EligibleSourceRaisesIrq: assert property (@(posedge clk_i) disable iff (!rst_ni)
    any_above_threshold |=> irq_o);
`endif

endmodule
