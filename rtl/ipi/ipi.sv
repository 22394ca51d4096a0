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
  output logic [NumHarts-1:0] ipi_o
);

  localparam logic [11:0] OffSet    = 12'h000;
  localparam logic [11:0] OffClear  = 12'h020;
  localparam logic [11:0] OffStatus = 12'h040;

  logic [NumHarts-1:0] line_d, line_q;
  logic                wr;

  assign wr = reg_req_i & reg_we_i;

  always_comb begin
    reg_rdata_o = '0;
    reg_error_o = 1'b1;
    line_d      = line_q;
    if (reg_addr_i == OffStatus) begin
      reg_error_o = 1'b0;
      reg_rdata_o = 32'(line_q);
    end
    for (int unsigned h = 0; h < NumHarts; h++) begin
      if (reg_addr_i == OffSet + 12'(4 * h)) begin
        reg_error_o = 1'b0;
        reg_rdata_o = {31'h0, line_q[h]};
        if (wr && reg_wdata_i[0]) begin
          line_d[h] = 1'b1;
        end
      end
      if (reg_addr_i == OffClear + 12'(4 * h)) begin
        reg_error_o = 1'b0;
        reg_rdata_o = {31'h0, line_q[h]};
        if (wr && reg_wdata_i[0]) begin
          line_d[h] = 1'b0;
        end
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      line_q <= '0;
    end else begin
      line_q <= line_d;
    end
  end

  assign ipi_o = line_q;

  logic unused_wdata;
  assign unused_wdata = ^reg_wdata_i[31:1];

endmodule
