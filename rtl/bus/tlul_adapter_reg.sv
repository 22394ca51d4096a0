// tlul_adapter_reg: TL-UL subset device port -> simple register bus.
//
// TL-UL subset: Get (4), PutFullData (0), PutPartialData (1); 32-bit address and data;
// responses AccessAck (0) / AccessAckData (1). Exactly one outstanding transaction:
// a_ready_o = !d_valid_q, and every D-channel output is a flop.
//
// Timing (cycle c = the clock period that follows rising edge c):
//   cycle s    host drives a_valid_i (a_ready_o is high because no response is held)
//   edge  s+1  request accepted; reg_req_o was high during cycle s, so the device performs
//              the write / read side effect (e.g. PLIC claim) at this edge and the adapter
//              captures reg_rdata_i / reg_error_i into the response registers
//   cycle s+1  d_valid_o = 1 with the response, a_ready_o = 0
//   edge  s+2  response retired if d_ready_i is high
//   cycle s+2  a_ready_o = 1: the next request can be presented
// One access therefore occupies exactly 2 cycles (more if d_ready_i is held low).
//
// Errors (d_error_o = 1, d_data_o = 0, no reg_req_o issued): unsupported opcode,
// a_mask_i != 4'hF, address not 4-byte aligned. reg_error_i (unmapped address reported by
// the decoder/device) also yields an error response; the access then has no effect.
// reg_req_o/reg_we_o/reg_addr_o/reg_wdata_o are combinational from the A channel.
// Quiescence: with no request presented and no response held, no flop changes at the next
// edge and no register access is issued: quiescent_o = !a_valid_i && !d_valid_q.
// Assertions (`ifndef SYNTHESIS, enabled by verilator --assert) check both sides of the
// handshake: the host holds a_valid and the A payload until accepted; the adapter holds
// d_valid and the D payload until retired, has at most one request outstanding, answers
// every accepted request in the next cycle with its source and the opcode that matches
// it, and passes only well-formed requests to the register bus. An unsupported A opcode
// is legal on the wire: it is answered with d_error, not asserted against.
module tlul_adapter_reg (
  input  logic        clk_i,
  input  logic        rst_ni,
  // TL-UL A channel
  input  logic        a_valid_i,
  output logic        a_ready_o,
  input  logic [2:0]  a_opcode_i,
  input  logic [31:0] a_address_i,
  input  logic [3:0]  a_mask_i,
  input  logic [31:0] a_data_i,
  input  logic [7:0]  a_source_i,
  // TL-UL D channel
  output logic        d_valid_o,
  input  logic        d_ready_i,
  output logic [2:0]  d_opcode_o,
  output logic [31:0] d_data_o,
  output logic        d_error_o,
  output logic [7:0]  d_source_o,
  // Simple register bus
  output logic        reg_req_o,
  output logic        reg_we_o,
  output logic [31:0] reg_addr_o,
  output logic [31:0] reg_wdata_o,
  input  logic [31:0] reg_rdata_i,
  input  logic        reg_error_i,
  output logic        quiescent_o
);

  localparam logic [2:0] OpPutFullData    = 3'd0;
  localparam logic [2:0] OpPutPartialData = 3'd1;
  localparam logic [2:0] OpGet            = 3'd4;
  localparam logic [2:0] OpAccessAck      = 3'd0;
  localparam logic [2:0] OpAccessAckData  = 3'd1;

  logic        d_valid_q;
  logic [2:0]  d_opcode_q;
  logic [31:0] d_data_q;
  logic        d_error_q;
  logic [7:0]  d_source_q;

  logic is_get, is_put, req_ok, accept, rsp_error;

  always_comb begin
    is_get = 1'b0;
    is_put = 1'b0;
    unique case (a_opcode_i)
      OpGet:                           is_get = 1'b1;
      OpPutFullData, OpPutPartialData: is_put = 1'b1;
      default:                         ;
    endcase
  end

  assign a_ready_o   = ~d_valid_q;
  assign quiescent_o = ~a_valid_i & ~d_valid_q;
  assign accept    = a_valid_i & a_ready_o;
  assign req_ok    = (is_get | is_put) & (a_mask_i == 4'hF) & (a_address_i[1:0] == 2'b00);
  assign rsp_error = ~req_ok | reg_error_i;

  assign reg_req_o   = accept & req_ok;
  assign reg_we_o    = is_put;
  assign reg_addr_o  = a_address_i;
  assign reg_wdata_o = a_data_i;

  // The response registers load at the accepting edge and hold until the next accept;
  // only d_valid_q drops when the response is retired.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      d_valid_q  <= 1'b0;
      d_opcode_q <= OpAccessAck;
      d_data_q   <= 32'h0;
      d_error_q  <= 1'b0;
      d_source_q <= 8'h0;
    end else if (accept) begin
      d_valid_q  <= 1'b1;
      d_opcode_q <= is_get ? OpAccessAckData : OpAccessAck;
      d_data_q   <= (is_get & ~rsp_error) ? reg_rdata_i : 32'h0;
      d_error_q  <= rsp_error;
      d_source_q <= a_source_i;
    end else if (d_valid_q & d_ready_i) begin
      d_valid_q  <= 1'b0;
    end
  end

  assign d_valid_o  = d_valid_q;
  assign d_opcode_o = d_opcode_q;
  assign d_data_o   = d_data_q;
  assign d_error_o  = d_error_q;
  assign d_source_o = d_source_q;

`ifndef SYNTHESIS
  // Host obligations (TL-UL: a valid request stays, unchanged, until a_ready).
  AValidHeldUntilReady: assert property (@(posedge clk_i) disable iff (!rst_ni)
    a_valid_i && !a_ready_o |=> a_valid_i);
  APayloadStableUntilReady: assert property (@(posedge clk_i) disable iff (!rst_ni)
    a_valid_i && !a_ready_o |=>
      $stable(a_opcode_i) && $stable(a_address_i) && $stable(a_mask_i) &&
      $stable(a_data_i) && $stable(a_source_i));
  // Device obligations.
  DValidHeldUntilReady: assert property (@(posedge clk_i) disable iff (!rst_ni)
    d_valid_o && !d_ready_i |=>
      d_valid_o && $stable(d_opcode_o) && $stable(d_data_o) && $stable(d_error_o) &&
      $stable(d_source_o));
  OneOutstanding: assert property (@(posedge clk_i) disable iff (!rst_ni)
    d_valid_o |-> !a_ready_o);
  ResponseEchoesSource: assert property (@(posedge clk_i) disable iff (!rst_ni)
    accept |=> d_valid_o && (d_source_o == $past(a_source_i)));
  ResponseOpcodeMatches: assert property (@(posedge clk_i) disable iff (!rst_ni)
    accept |=> d_opcode_o == ($past(a_opcode_i) == OpGet ? OpAccessAckData : OpAccessAck));
  MalformedRequestErrs: assert property (@(posedge clk_i) disable iff (!rst_ni)
    accept && !req_ok |=> d_error_o && (d_data_o == 32'h0));
  RegisterBusOnlyLegalOpcodes: assert property (@(posedge clk_i) disable iff (!rst_ni)
    reg_req_o |-> (is_get || is_put) && accept);
`endif

endmodule
