// scratch: the smallest register device with one interrupt, the worked example of adding a
// device through the SoC description (tests/rtl/new_device/README.md). Not part of the SoC.
//
// Register map (byte offsets inside the 4 KiB window):
//   0x000  SCRATCH  rw, 32 bits, reset 0
//   0x004  IRQ      rw, bit 0 drives intr_o (level), reset 0
// Any other offset returns reg_error_o. Quiescence: state changes only on a register write,
// so quiescent_o = !reg_req_i.
module scratch (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        reg_req_i,
  input  logic        reg_we_i,
  input  logic [11:0] reg_addr_i,
  input  logic [31:0] reg_wdata_i,
  output logic [31:0] reg_rdata_o,
  output logic        reg_error_o,
  output logic        intr_o,
  output logic        quiescent_o
);

  logic [31:0] scratch_q;
  logic        irq_q;
  logic        sel_scratch, sel_irq, wr;

  assign wr          = reg_req_i & reg_we_i;
  assign sel_scratch = (reg_addr_i == 12'h000);
  assign sel_irq     = (reg_addr_i == 12'h004);
  assign quiescent_o = !reg_req_i;

  always_comb begin
    reg_rdata_o = '0;
    reg_error_o = 1'b0;
    if (sel_scratch) begin
      reg_rdata_o = scratch_q;
    end else if (sel_irq) begin
      reg_rdata_o = {31'h0, irq_q};
    end else begin
      reg_error_o = 1'b1;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      scratch_q <= '0;
      irq_q     <= 1'b0;
    end else if (wr && sel_scratch) begin
      scratch_q <= reg_wdata_i;
    end else if (wr && sel_irq) begin
      irq_q <= reg_wdata_i[0];
    end
  end

  assign intr_o = irq_q;

endmodule
