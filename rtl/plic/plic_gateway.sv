// plic_gateway: PLIC interrupt gateways for all sources (OpenTitan rv_plic_gateway style).
//
// Computes the next value of the pending (IP) register, which lives in plic.sv (ip_q).
// Per source:
//   request  = level source: line high; edge source: rising edge (line high now, low in
//              the previous cycle, tracked by src_q)
//   IP set   when a request arrives and the source is neither pending nor claimed
//   IP clear when the source is claimed (claim_i, only while pending)
//   claimed  set by claim, cleared by complete (complete_i)
// Consequences: at most one request per source in the core; edges that arrive while
// pending or claimed are dropped (no counter); a level source whose line is still high
// after completion re-pends one edge after the completing edge; a level request is never
// withdrawn (dropping the line does not clear IP).
// Timing: purely combinational towards ip_d_o; a line that goes high in cycle c is set in
// IP at edge c+1 (when plic.sv registers ip_d_o).
// Quiescence: quiescent_o is high when the next edge changes no gateway flop and no IP bit
// (src_q, claimed_q and ip_i all hold). The gateways have no free-running state.
// Assertions (`ifndef SYNTHESIS): at most one request per source in flight (never pending
// and claimed at once); a claimed source does not pend again before its completion;
// claim and complete are one-hot or idle.
module plic_gateway #(
  parameter int unsigned       NumSrc   = 32,
  parameter logic [NumSrc-1:0] EdgeTrig = '0
) (
  input  logic              clk_i,
  input  logic              rst_ni,
  input  logic [NumSrc-1:0] src_i,       // source lines (bit 0 must be tied to 0)
  input  logic [NumSrc-1:0] ip_i,        // current pending bits (plic ip_q)
  input  logic [NumSrc-1:0] claim_i,     // one-hot claim pulse
  input  logic [NumSrc-1:0] complete_i,  // one-hot complete pulse
  output logic [NumSrc-1:0] ip_d_o,      // next pending bits
  output logic              quiescent_o
);

  logic [NumSrc-1:0] src_q;
  logic [NumSrc-1:0] claimed_d, claimed_q;
  logic [NumSrc-1:0] req;

  assign req = (EdgeTrig & src_i & ~src_q) | (~EdgeTrig & src_i);

  always_comb begin
    ip_d_o    = (ip_i & ~claim_i) | (req & ~ip_i & ~claimed_q);
    claimed_d = (claimed_q & ~complete_i) | (claim_i & ip_i);
  end

  assign quiescent_o = (src_q == src_i) && (claimed_d == claimed_q) && (ip_d_o == ip_i);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      src_q     <= '0;
      claimed_q <= '0;
    end else begin
      src_q     <= src_i;
      claimed_q <= claimed_d;
    end
  end

`ifndef SYNTHESIS
  OneRequestInFlight: assert property (@(posedge clk_i) disable iff (!rst_ni)
    (ip_i & claimed_q) == '0);
  ClaimedStaysOffUntilComplete: assert property (@(posedge clk_i) disable iff (!rst_ni)
    1'b1 |=> (ip_i & $past(claimed_q & ~complete_i)) == '0);
  ClaimOneHot: assert property (@(posedge clk_i) disable iff (!rst_ni) $onehot0(claim_i));
  CompleteOneHot: assert property (@(posedge clk_i) disable iff (!rst_ni)
    $onehot0(complete_i));
`endif

endmodule
