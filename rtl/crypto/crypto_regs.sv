// crypto_regs: the crypto engine's register file (docs/rtl.md "Crypto engine"), with the
// shared interrupt cell prim_intr_reg for INTR_STATE / INTR_ENABLE / INTR_TEST.
//
// Reads are combinational (the register bus samples them in the access's cycle), writes
// take effect at the edge ending the access's cycle. CTRL.SRST (write 1) is srst_o in the
// cycle of the write: every block clears at that edge, JR_TAIL here too; INTR_STATE,
// INTR_ENABLE, CTRL.EN, JR_BASE, JR_SIZE and COAL are kept. Read-only registers ignore
// writes; offsets not in the map, and unaligned ones, answer reg_error_o.
// Quiescence: no register access and the interrupt cell settled.
module crypto_regs (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        reg_req_i,
  input  logic        reg_we_i,
  input  logic [11:0] reg_addr_i,
  input  logic [31:0] reg_wdata_i,
  output logic [31:0] reg_rdata_o,
  output logic        reg_error_o,
  // configuration
  output logic        en_o,
  output logic        srst_o,
  output logic [31:0] jr_base_o,     // bits 5:0 are 0
  output logic [10:0] jr_size_o,
  output logic [10:0] jr_tail_o,
  output logic [7:0]  coal_count_o,
  output logic [15:0] coal_timeout_o,
  // engine state
  input  logic [10:0] jr_head_i,
  input  logic        busy_i,
  input  logic        halt_err_i,
  // interrupt events (one cycle each): DONE (coalesced), ERR
  input  logic        done_event_i,
  input  logic        err_event_i,
  output logic        intr_o,
  output logic        quiescent_o
);

  localparam logic [31:0] IdValue = 32'h4343_3230;  // "CC20"

  localparam logic [11:0] AddrId         = 12'h000;
  localparam logic [11:0] AddrCtrl       = 12'h004;
  localparam logic [11:0] AddrStatus     = 12'h008;
  localparam logic [11:0] AddrJrBaseLo   = 12'h010;
  localparam logic [11:0] AddrJrBaseHi   = 12'h014;
  localparam logic [11:0] AddrJrSize     = 12'h018;
  localparam logic [11:0] AddrJrHead     = 12'h01C;
  localparam logic [11:0] AddrJrTail     = 12'h020;
  localparam logic [11:0] AddrIntrState  = 12'h040;
  localparam logic [11:0] AddrIntrEnable = 12'h044;
  localparam logic [11:0] AddrIntrTest   = 12'h048;
  localparam logic [11:0] AddrCoal       = 12'h050;

  logic        wr;
  logic        en_q;
  logic [25:0] jr_base_q;
  logic [31:0] jr_base_hi_q;
  logic [10:0] jr_size_q, jr_tail_q;
  logic [7:0]  coal_count_q;
  logic [15:0] coal_timeout_q;
  logic [1:0]  intr_state, intr_enable, intr_line;
  logic        intr_quiescent;

  assign wr     = reg_req_i && reg_we_i;
  assign srst_o = wr && (reg_addr_i == AddrCtrl) && reg_wdata_i[1];

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      en_q           <= 1'b0;
      jr_base_q      <= '0;
      jr_base_hi_q   <= '0;
      jr_size_q      <= '0;
      jr_tail_q      <= '0;
      coal_count_q   <= '0;
      coal_timeout_q <= '0;
    end else if (wr) begin
      unique case (reg_addr_i)
        AddrCtrl: begin
          en_q <= reg_wdata_i[0];
          if (reg_wdata_i[1]) begin
            jr_tail_q <= '0;
          end
        end
        AddrJrBaseLo: jr_base_q    <= reg_wdata_i[31:6];
        AddrJrBaseHi: jr_base_hi_q <= reg_wdata_i;
        AddrJrSize:   jr_size_q    <= reg_wdata_i[10:0];
        AddrJrTail:   jr_tail_q    <= reg_wdata_i[10:0];
        AddrCoal: begin
          coal_count_q   <= reg_wdata_i[7:0];
          coal_timeout_q <= reg_wdata_i[31:16];
        end
        default: ;
      endcase
    end
  end

  // INTR_* bits: 0 DONE, 1 ERR.
  logic [1:0] sel_state, sel_test, sel_enable;
  assign sel_state  = {2{wr && reg_addr_i == AddrIntrState}};
  assign sel_test   = {2{wr && reg_addr_i == AddrIntrTest}};
  assign sel_enable = {2{wr && reg_addr_i == AddrIntrEnable}};

  prim_intr_reg #(
    .Width (2)
  ) u_intr (
    .clk_i          (clk_i),
    .rst_ni         (rst_ni),
    .event_i        ({err_event_i, done_event_i}),
    .state_clear_i  (sel_state & reg_wdata_i[1:0]),
    .test_set_i     (sel_test & reg_wdata_i[1:0]),
    .enable_we_i    (sel_enable),
    .enable_wdata_i (reg_wdata_i[1:0]),
    .state_o        (intr_state),
    .enable_o       (intr_enable),
    .intr_o         (intr_line),
    .quiescent_o    (intr_quiescent)
  );

  assign intr_o = |intr_line;

  always_comb begin
    reg_rdata_o = '0;
    reg_error_o = 1'b0;
    unique case (reg_addr_i)
      AddrId:         reg_rdata_o = IdValue;
      AddrCtrl:       reg_rdata_o = {31'h0, en_q};
      AddrStatus:     reg_rdata_o = {30'h0, halt_err_i, busy_i};
      AddrJrBaseLo:   reg_rdata_o = {jr_base_q, 6'h0};
      AddrJrBaseHi:   reg_rdata_o = jr_base_hi_q;
      AddrJrSize:     reg_rdata_o = {21'h0, jr_size_q};
      AddrJrHead:     reg_rdata_o = {21'h0, jr_head_i};
      AddrJrTail:     reg_rdata_o = {21'h0, jr_tail_q};
      AddrIntrState:  reg_rdata_o = {30'h0, intr_state};
      AddrIntrEnable: reg_rdata_o = {30'h0, intr_enable};
      AddrIntrTest:   reg_rdata_o = '0;
      AddrCoal:       reg_rdata_o = {coal_timeout_q, 8'h0, coal_count_q};
      default:        reg_error_o = 1'b1;
    endcase
  end

  assign en_o           = en_q;
  assign jr_base_o      = {jr_base_q, 6'h0};
  assign jr_size_o      = jr_size_q;
  assign jr_tail_o      = jr_tail_q;
  assign coal_count_o   = coal_count_q;
  assign coal_timeout_o = coal_timeout_q;
  assign quiescent_o    = !reg_req_i && intr_quiescent;

  // JR_BASE_HI is software's (the DMA is 32-bit); write data bits outside the fields.
  logic unused_wdata;
  assign unused_wdata = ^{reg_wdata_i[15:8], reg_wdata_i[5:2]};

`ifndef SYNTHESIS
  TailOnlyByWrite: assert property (@(posedge clk_i) disable iff (!rst_ni)
    !wr |=> $stable(jr_tail_q));
`endif

endmodule
