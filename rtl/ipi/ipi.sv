// ipi: inter-processor interrupt device, one level interrupt line per hart.
//
// Register map (byte offsets inside the 4 KiB window, h = hart index < NumHarts):
//   0x000 + 4*h   IPI_SET[h]    write: bit 0 = 1 raises line h (0 = no effect);
//                               read: bit 0 = line h
//   0x020 + 4*h   IPI_CLEAR[h]  write: bit 0 = 1 clears line h (0 = no effect);
//                               read: bit 0 = line h
//   0x040         IPI_STATUS    read-only, bit h = line h (writes ignored, no error)
// Any other offset (including h >= NumHarts and unaligned offsets) returns reg_error_o.
// Write data bits [31:1] are ignored. Reads have no side effects.
//
// The line register is the output: ipi_o = line_q (registered, no further stage). A set or
// clear accepted at edge e is in ipi_o in cycle e (the cycle after the edge); through a
// level-triggered PLIC source, irq_o of an enabled context then rises in cycle e+2.
// Set and clear of the same hart cannot coincide (one bus access at a time).
// Quiescence: line_q changes only on a register write, so quiescent_o = !reg_req_i.
// Assertions (`ifndef SYNTHESIS): a line changes only through a write of 1 to its
// IPI_SET / IPI_CLEAR register, and such a write leaves it set / clear.
module ipi #(
  parameter int unsigned NumHarts = 4  // 1..8 (register map has room for 8)
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  // Simple register bus (offset within the 4 KiB window)
  input  logic                reg_req_i,
  input  logic                reg_we_i,
  input  logic [11:0]         reg_addr_i,
  input  logic [31:0]         reg_wdata_i,
  output logic [31:0]         reg_rdata_o,
  output logic                reg_error_o,
  output logic [NumHarts-1:0] ipi_o,
  output logic                quiescent_o
);

  localparam int unsigned HartW = (NumHarts > 1) ? $clog2(NumHarts) : 1;

  logic [NumHarts-1:0] line_q;
  logic                wr;
  logic                sel_set, sel_clear, sel_status;
  logic [HartW-1:0]    hart_idx;

  assign wr          = reg_req_i & reg_we_i;
  assign quiescent_o = !reg_req_i;

  // IPI_SET[h] at 0x000 + 4*h, IPI_CLEAR[h] at 0x020 + 4*h (h < NumHarts), IPI_STATUS at
  // 0x040; everything else (including unaligned offsets) is an error.
  assign sel_set    = (reg_addr_i[11:5] == 7'h00) && (reg_addr_i[1:0] == 2'b00) &&
                      (32'(reg_addr_i[4:2]) < NumHarts);
  assign sel_clear  = (reg_addr_i[11:5] == 7'h01) && (reg_addr_i[1:0] == 2'b00) &&
                      (32'(reg_addr_i[4:2]) < NumHarts);
  assign sel_status = (reg_addr_i == 12'h040);
  assign hart_idx   = HartW'(reg_addr_i[4:2]);

  always_comb begin
    reg_rdata_o = '0;
    reg_error_o = 1'b0;
    if (sel_set || sel_clear) begin
      reg_rdata_o = {31'h0, line_q[hart_idx]};
    end else if (sel_status) begin
      reg_rdata_o = 32'(line_q);
    end else begin
      reg_error_o = 1'b1;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      line_q <= '0;
    end else if (wr && reg_wdata_i[0]) begin
      if (sel_set) begin
        line_q[hart_idx] <= 1'b1;
      end else if (sel_clear) begin
        line_q[hart_idx] <= 1'b0;
      end
    end
  end

  assign ipi_o = line_q;

  logic unused_wdata;
  assign unused_wdata = ^reg_wdata_i[31:1];

`ifndef SYNTHESIS
  logic set_write, clear_write;
  assign set_write   = wr && reg_wdata_i[0] && sel_set;
  assign clear_write = wr && reg_wdata_i[0] && sel_clear;

  LineChangesOnlyByWrite: assert property (@(posedge clk_i) disable iff (!rst_ni)
    !(set_write || clear_write) |=> $stable(line_q));
  SetRaisesLine: assert property (@(posedge clk_i) disable iff (!rst_ni)
    set_write |=> line_q[$past(hart_idx)]);
  ClearDropsLine: assert property (@(posedge clk_i) disable iff (!rst_ni)
    clear_write |=> !line_q[$past(hart_idx)]);
`endif

endmodule
