// nic_dma_arbiter: the NIC's DMA master port (TL-UL subset host, 32-bit, one transaction
// outstanding), shared by the RX and the TX engine.
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
// Quiescence: idle with no request: no flop changes.
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

  // Phase of the one transaction: none, A presented, waiting for D.
  localparam logic [1:0] PhaseIdle = 2'd0;
  localparam logic [1:0] PhaseA    = 2'd1;
  localparam logic [1:0] PhaseD    = 2'd2;

  logic [1:0]  phase_q;
  logic [1:0]  owner_q;   // one-hot client of the transaction, 0 once a soft reset dropped it
  logic [2:0]  opcode_q;
  logic [31:0] address_q, data_q;
  logic [1:0]  grant;

  logic last_tx_q;  // the last transaction was the TX engine's

  always_comb begin
    unique case (req_i)
      2'b01:   grant = 2'b01;
      2'b10:   grant = 2'b10;
      2'b11:   grant = last_tx_q ? 2'b01 : 2'b10;
      default: grant = 2'b00;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      phase_q   <= PhaseIdle;
      owner_q   <= '0;
      opcode_q  <= OpGet;
      address_q <= '0;
      data_q    <= '0;
      last_tx_q <= 1'b0;
    end else begin
      unique case (phase_q)
        PhaseIdle: begin
          if (grant != 2'b00 && !clear_i) begin
            phase_q   <= PhaseA;
            owner_q   <= grant;
            last_tx_q <= grant[1];
            opcode_q  <= (grant[0] ? we_i[0] : we_i[1]) ? OpPutFullData : OpGet;
            address_q <= grant[0] ? addr_i[31:0] : addr_i[63:32];
            data_q    <= grant[0] ? wdata_i[31:0] : wdata_i[63:32];
          end
        end
        PhaseA: begin
          if (a_ready_i) begin
            phase_q <= PhaseD;
          end
          if (clear_i) begin
            owner_q <= '0;
          end
        end
        PhaseD: begin
          if (d_valid_i) begin
            phase_q <= PhaseIdle;
            owner_q <= '0;
          end else if (clear_i) begin
            owner_q <= '0;
          end
        end
        default: phase_q <= PhaseIdle;
      endcase
    end
  end

  assign a_valid_o   = (phase_q == PhaseA);
  assign a_opcode_o  = opcode_q;
  assign a_address_o = address_q;
  assign a_mask_o    = 4'hF;
  assign a_data_o    = data_q;
  assign d_ready_o   = 1'b1;
  assign done_o      = (phase_q == PhaseD && d_valid_i && !clear_i) ? owner_q : 2'b00;
  assign rdata_o     = d_data_i;
  assign error_o     = d_error_i;
  assign quiescent_o = (phase_q == PhaseIdle) && (req_i == 2'b00);

`ifndef SYNTHESIS
  // One transaction outstanding: a response comes only while one is awaited.
  ResponseOnlyWhenAwaited: assert property (@(posedge clk_i) disable iff (!rst_ni)
    d_valid_i |-> phase_q == PhaseD);
  // The A payload holds while presented.
  AStable: assert property (@(posedge clk_i) disable iff (!rst_ni)
    a_valid_o && !a_ready_i |=> a_valid_o && $stable(a_opcode_o) && $stable(a_address_o) &&
                                $stable(a_data_o));
  AddressWordAligned: assert property (@(posedge clk_i) disable iff (!rst_ni)
    a_valid_o |-> a_address_o[1:0] == 2'b00);
  // A client keeps asking until served.
  ReqHeld0: assert property (@(posedge clk_i) disable iff (!rst_ni)
    req_i[0] && !done_o[0] && !clear_i |=> req_i[0]);
  ReqHeld1: assert property (@(posedge clk_i) disable iff (!rst_ni)
    req_i[1] && !done_o[1] && !clear_i |=> req_i[1]);
  QuiescentHoldsState: assert property (@(posedge clk_i) disable iff (!rst_ni)
    quiescent_o |=> $stable(phase_q) && $stable(owner_q));
`endif

endmodule
