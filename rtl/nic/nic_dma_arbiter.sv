// nic_dma_arbiter: the NIC's DMA master port (TL-UL subset host, 32-bit, one transaction
// outstanding: the shared prim_tlul_host), shared by the RX and the TX engine.
//
// A client holds req (with we, address, wdata stable) until its done pulse. The arbiter
// takes a request when idle; when both ask, the one not served last goes first (so each
// waits at most one transaction of the other), and:
//   cycle c      idle, sees the request
//   cycle c+1    a_valid_o high (A outputs are flops), held until a_ready_i
//   cycle a      a_valid_o && a_ready_i: accepted at edge a+1
//   cycle d > a  d_valid_i: done pulse to the owner with the data and d_error_i; the owner
//                takes them at edge d+1, and the arbiter is idle in cycle d+1.
// So a transaction costs the client 2 + (a - (c+1)) + (d - a) cycles beyond the cycle it
// asks in: with a_ready high and a memory that answers in the cycle after acceptance,
// 3 cycles. Get = opcode 4, PutFullData = opcode 0, mask always 4'hF; d_ready_o = 1.
// Soft reset (clear_i) resets the clients but not the transaction on the wire: a request
// presented stays until accepted, and a response still due is awaited and discarded.
// Quiescence: idle with no request (the port's quiescent_o): no flop changes.
module nic_dma_arbiter (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        clear_i,
  // clients: 0 = RX engine, 1 = TX engine
  input  logic [1:0]  req_i,
  input  logic [1:0]  we_i,
  input  logic [63:0] addr_i,
  input  logic [63:0] wdata_i,
  output logic [1:0]  done_o,
  output logic [31:0] rdata_o,
  output logic        error_o,
  // TL-UL subset host
  output logic        a_valid_o,
  input  logic        a_ready_i,
  output logic [2:0]  a_opcode_o,
  output logic [31:0] a_address_o,
  output logic [3:0]  a_mask_o,
  output logic [31:0] a_data_o,
  input  logic        d_valid_i,
  output logic        d_ready_o,
  input  logic [31:0] d_data_i,
  input  logic        d_error_i,
  output logic        quiescent_o
);

  localparam logic [2:0] OpGet         = 3'd4;
  localparam logic [2:0] OpPutFullData = 3'd0;

  logic [1:0] grant;
  logic [1:0] owner_q;    // one-hot client of the transaction
  logic       last_tx_q;  // the last transaction was the TX engine's
  logic       take, req_taken, rsp_valid;

  always_comb begin
    unique case (req_i)
      2'b01:   grant = 2'b01;
      2'b10:   grant = 2'b10;
      2'b11:   grant = last_tx_q ? 2'b01 : 2'b10;
      default: grant = 2'b00;
    endcase
  end

  // The port itself: taken only while idle (no request at the retiring edge), so the
  // client's next request is presented two cycles after its response.
  prim_tlul_host #(
    .TakeAtRetire (1'b0)
  ) u_host (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .clear_i       (clear_i),
    .req_i         (grant != 2'b00),
    .req_opcode_i  ((grant[0] ? we_i[0] : we_i[1]) ? OpPutFullData : OpGet),
    .req_address_i (grant[0] ? addr_i[31:0] : addr_i[63:32]),
    .req_mask_i    (4'hF),
    .req_data_i    (grant[0] ? wdata_i[31:0] : wdata_i[63:32]),
    .take_o        (take),
    .rsp_valid_o   (rsp_valid),
    .rsp_data_o    (rdata_o),
    .rsp_error_o   (error_o),
    .a_valid_o     (a_valid_o),
    .a_ready_i     (a_ready_i),
    .a_opcode_o    (a_opcode_o),
    .a_address_o   (a_address_o),
    .a_mask_o      (a_mask_o),
    .a_data_o      (a_data_o),
    .d_valid_i     (d_valid_i),
    .d_ready_o     (d_ready_o),
    .d_data_i      (d_data_i),
    .d_error_i     (d_error_i),
    .quiescent_o   (quiescent_o)
  );

  assign req_taken = take && (grant != 2'b00) && !clear_i;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      owner_q   <= '0;
      last_tx_q <= 1'b0;
    end else if (req_taken) begin
      owner_q   <= grant;
      last_tx_q <= grant[1];
    end
  end

  assign done_o = rsp_valid ? owner_q : 2'b00;

`ifndef SYNTHESIS
  // A client keeps asking until served (the port's own invariants are prim_tlul_host's).
  ReqHeld0: assert property (@(posedge clk_i) disable iff (!rst_ni)
    req_i[0] && !done_o[0] && !clear_i |=> req_i[0]);
  ReqHeld1: assert property (@(posedge clk_i) disable iff (!rst_ni)
    req_i[1] && !done_o[1] && !clear_i |=> req_i[1]);
  QuiescentHoldsState: assert property (@(posedge clk_i) disable iff (!rst_ni)
    quiescent_o |=> $stable(owner_q) && $stable(last_tx_q));
`endif

endmodule
