// prim_tlul_host: a DMA master's TL-UL subset host port, 32-bit, one transaction
// outstanding, shared by the NIC (nic_dma_arbiter) and the crypto engine (crypto_dma).
//
// The A outputs are flops. A request (req_i with its opcode, address, mask and data) is
// taken at an edge where take_o is high and clear_i is low: take_o is high while no
// transaction is outstanding and, with TakeAtRetire, also in the cycle whose response
// retires (the next request then follows back to back). Timing, a_ready high:
//   cycle c      take_o && req_i: taken at the edge ending c
//   cycle c+1    a_valid_o (held, payload stable, until a_ready_i): accepted at edge a+1
//   cycle d > a  d_valid_i: the response retires at the edge ending d; rsp_valid_o with
//                rsp_data_o and rsp_error_o in that cycle
// So with a response L cycles after acceptance, a transaction costs L + 1 cycles from one
// take to the next with TakeAtRetire, L + 2 without (the client sees the idle port in
// cycle d+1 and is taken at its edge).
// Soft reset (clear_i) drops the transaction's owner but not the transaction on the wire:
// a request presented stays until accepted, a response still due is awaited and not passed
// on (rsp_valid_o stays low for it), and nothing is taken while clear_i is high.
// d_ready_o is always 1. Opcodes are the client's (4 Get, 0 PutFullData, 1 PutPartialData
// with mask = the bytes written).
// Quiescence: no transaction and no request: no flop changes (quiescent_o).
module prim_tlul_host #(
  parameter bit TakeAtRetire = 1'b0
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        clear_i,
  // request, taken at an edge with take_o high
  input  logic        req_i,
  input  logic [2:0]  req_opcode_i,
  input  logic [31:0] req_address_i,
  input  logic [3:0]  req_mask_i,
  input  logic [31:0] req_data_i,
  output logic        take_o,
  // response of the client's transaction
  output logic        rsp_valid_o,
  output logic [31:0] rsp_data_o,
  output logic        rsp_error_o,
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

  localparam logic [2:0] OpGet = 3'd4;

  // Phase of the one transaction: none, A presented, waiting for D.
  localparam logic [1:0] PhaseIdle = 2'd0;
  localparam logic [1:0] PhaseA    = 2'd1;
  localparam logic [1:0] PhaseD    = 2'd2;

  logic [1:0]  phase_q;
  logic        dropped_q;  // a soft reset dropped the transaction's owner
  logic [2:0]  opcode_q;
  logic [31:0] address_q, data_q;
  logic [3:0]  mask_q;
  logic        retire;

  assign retire = (phase_q == PhaseD) && d_valid_i;
  assign take_o = (phase_q == PhaseIdle) || (TakeAtRetire && retire);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      phase_q   <= PhaseIdle;
      dropped_q <= 1'b0;
      opcode_q  <= OpGet;
      address_q <= '0;
      mask_q    <= 4'hF;
      data_q    <= '0;
    end else begin
      if (take_o && req_i && !clear_i) begin
        phase_q   <= PhaseA;
        dropped_q <= 1'b0;
        opcode_q  <= req_opcode_i;
        address_q <= req_address_i;
        mask_q    <= req_mask_i;
        data_q    <= req_data_i;
      end else if (retire) begin
        phase_q   <= PhaseIdle;
        dropped_q <= 1'b0;
      end else begin
        if (phase_q == PhaseA && a_ready_i) begin
          phase_q <= PhaseD;
        end
        if (clear_i && phase_q != PhaseIdle) begin
          dropped_q <= 1'b1;
        end
      end
    end
  end

  assign a_valid_o   = (phase_q == PhaseA);
  assign a_opcode_o  = opcode_q;
  assign a_address_o = address_q;
  assign a_mask_o    = mask_q;
  assign a_data_o    = data_q;
  assign d_ready_o   = 1'b1;
  assign rsp_valid_o = retire && !dropped_q && !clear_i;
  assign rsp_data_o  = d_data_i;
  assign rsp_error_o = d_error_i;
  assign quiescent_o = (phase_q == PhaseIdle) && !req_i;

`ifndef SYNTHESIS
  localparam logic [2:0] OpPutFullData    = 3'd0;
  localparam logic [2:0] OpPutPartialData = 3'd1;
  // One transaction outstanding: a response comes only while one is awaited.
  ResponseOnlyWhenAwaited: assert property (@(posedge clk_i) disable iff (!rst_ni)
    d_valid_i |-> phase_q == PhaseD);
  // The A payload holds while presented.
  AStable: assert property (@(posedge clk_i) disable iff (!rst_ni)
    a_valid_o && !a_ready_i |=> a_valid_o && $stable(a_opcode_o) && $stable(a_address_o) &&
                                $stable(a_mask_o) && $stable(a_data_o));
  AddressWordAligned: assert property (@(posedge clk_i) disable iff (!rst_ni)
    a_valid_o |-> a_address_o[1:0] == 2'b00);
  LegalOpcodeAndMask: assert property (@(posedge clk_i) disable iff (!rst_ni)
    a_valid_o |-> (a_opcode_o == OpGet && a_mask_o == 4'hF) ||
                  (a_opcode_o == OpPutFullData && a_mask_o == 4'hF) ||
                  (a_opcode_o == OpPutPartialData && a_mask_o != 4'h0 && a_mask_o != 4'hF));
  QuiescentHoldsState: assert property (@(posedge clk_i) disable iff (!rst_ni)
    quiescent_o |=> $stable(phase_q) && $stable(dropped_q) && $stable(opcode_q) &&
                    $stable(address_q) && $stable(mask_q) && $stable(data_q));
`endif

endmodule
