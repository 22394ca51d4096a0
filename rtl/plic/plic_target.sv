// plic_target: one PLIC context (OpenTitan rv_plic_target style).
//
// Binary max-tree over the candidates (ip & ie & prio != 0). A right child (higher IDs)
// wins only with a strictly greater priority, so ties go to the lower ID. Priority 0
// never takes part (it disables the source).
//   irq_o    = (max priority > threshold)
//   irq_id_o = ID of the highest-priority pending enabled source, 0 if none. It is
//              computed WITHOUT the threshold ("the threshold does not affect a claim").
// Timing: both outputs are registered: they reflect ip/ie/prio/threshold of the previous
// cycle (a change at edge e shows at edge e+1).
module plic_target #(
  parameter  int unsigned NumSrc = 32,
  parameter  int unsigned PrioW  = 3,
  localparam int unsigned IdW    = $clog2(NumSrc)
) (
  input  logic                    clk_i,
  input  logic                    rst_ni,
  input  logic [NumSrc-1:0]       ip_i,
  input  logic [NumSrc-1:0]       ie_i,
  input  logic [NumSrc*PrioW-1:0] prio_i,
  input  logic [PrioW-1:0]        threshold_i,
  output logic                    irq_o,
  output logic [IdW-1:0]          irq_id_o
);

  localparam int unsigned NumLeaves = 2 ** IdW;
  localparam int unsigned NumNodes  = 2 * NumLeaves - 1;

  logic [NumLeaves-1:0]       cand;
  logic [NumLeaves*PrioW-1:0] prio_pad;
  // Heap-ordered tree nodes, flattened: node n uses bit n / field n.
  logic [NumNodes-1:0]        node_vld;
  logic [NumNodes*PrioW-1:0]  node_prio;
  logic [NumNodes*IdW-1:0]    node_id;

  logic           irq_d, irq_q;
  logic [IdW-1:0] irq_id_d, irq_id_q;

  always_comb begin
    cand     = '0;
    prio_pad = '0;
    for (int unsigned i = 0; i < NumSrc; i++) begin
      cand[i]                    = ip_i[i] & ie_i[i] & (prio_i[i*PrioW +: PrioW] != '0);
      prio_pad[i*PrioW +: PrioW] = prio_i[i*PrioW +: PrioW];
    end
  end

  always_comb begin
    node_vld  = '0;
    node_prio = '0;
    node_id   = '0;
    // Leaves: node NumLeaves-1+i holds source i.
    for (int unsigned i = 0; i < NumLeaves; i++) begin
      node_vld[NumLeaves-1+i]                   = cand[i];
      node_prio[(NumLeaves-1+i)*PrioW +: PrioW] = prio_pad[i*PrioW +: PrioW];
      node_id[(NumLeaves-1+i)*IdW +: IdW]       = IdW'(i);
    end
    // Inner nodes, bottom-up: children of n are 2n+1 (lower IDs) and 2n+2 (higher IDs).
    // The higher-ID child wins only with a strictly greater priority.
    for (int n = NumLeaves - 2; n >= 0; n--) begin
      if (node_vld[2*n+2] &&
          (!node_vld[2*n+1] ||
           (node_prio[(2*n+2)*PrioW +: PrioW] > node_prio[(2*n+1)*PrioW +: PrioW]))) begin
        node_vld[n]                 = 1'b1;
        node_prio[n*PrioW +: PrioW] = node_prio[(2*n+2)*PrioW +: PrioW];
        node_id[n*IdW +: IdW]       = node_id[(2*n+2)*IdW +: IdW];
      end else begin
        node_vld[n]                 = node_vld[2*n+1];
        node_prio[n*PrioW +: PrioW] = node_prio[(2*n+1)*PrioW +: PrioW];
        node_id[n*IdW +: IdW]       = node_id[(2*n+1)*IdW +: IdW];
      end
    end
    irq_d    = node_vld[0] & (node_prio[0 +: PrioW] > threshold_i);
    irq_id_d = node_vld[0] ? node_id[0 +: IdW] : '0;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      irq_q    <= 1'b0;
      irq_id_q <= '0;
    end else begin
      irq_q    <= irq_d;
      irq_id_q <= irq_id_d;
    end
  end

  assign irq_o    = irq_q;
  assign irq_id_o = irq_id_q;

endmodule
