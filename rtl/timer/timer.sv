// timer: multi-hart machine timer, OpenTitan rv_timer style (one prescaler, one 64-bit
// mtime and one 64-bit compare per hart).
//
// Register map (byte offsets inside the 4 KiB window):
//   0x004                 CTRL         bit h = hart h active
//   0x100 + 0x100*h
//     +0x00               INTR_ENABLE  bit 0
//     +0x04               INTR_STATE   bit 0, rw1c
//     +0x08               INTR_TEST    bit 0, write 1 sets INTR_STATE (reads 0)
//     +0x0C               CFG          prescale [11:0], step [23:16] (reset step = 1)
//     +0x10 / +0x14       MTIME_LO/HI  read/write
//     +0x18 / +0x1C       MTIMECMP_LO/HI  reset 0xFFFF_FFFF
// Any other offset returns reg_error_o.
//
// Behaviour per hart: while active, the prescale counter counts 0..prescale; in the cycle
// it equals prescale (a tick) it restarts and mtime += step at the next edge. While not
// active the counter is held at 0 (mtime holds). A software write of MTIME wins over the
// increment. INTR_STATE is set at every edge where mtime >= mtimecmp held in the cycle
// before (hardware set wins over a rw1c clear). intr_o = INTR_STATE & INTR_ENABLE,
// registered.
//
// Timing, prescale P, step 1, mtime = 0, CTRL.active written at accepting edge e:
//   mtime = k in cycle e + k*(P+1) (first tick in cycle e+P, increment at edge e+P+1);
//   with mtimecmp = N: mtime reaches N in cycle e + N*(P+1), INTR_STATE is set at edge
//   e + N*(P+1) + 1 and intr_o rises in cycle e + N*(P+1) + 2.
module timer #(
  parameter int unsigned NumHarts = 4  // at most 15
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
  output logic [NumHarts-1:0] intr_o
);

  // Per-hart register offsets.
  localparam logic [7:0] OffIntrEnable = 8'h00;
  localparam logic [7:0] OffIntrState  = 8'h04;
  localparam logic [7:0] OffIntrTest   = 8'h08;
  localparam logic [7:0] OffCfg        = 8'h0C;
  localparam logic [7:0] OffMtimeLo    = 8'h10;
  localparam logic [7:0] OffMtimeHi    = 8'h14;
  localparam logic [7:0] OffMtimecmpLo = 8'h18;
  localparam logic [7:0] OffMtimecmpHi = 8'h1C;

  logic [NumHarts-1:0]    active_d, active_q;
  logic [NumHarts-1:0]    intr_en_d, intr_en_q;
  logic [NumHarts-1:0]    intr_state_d, intr_state_q;
  logic [NumHarts-1:0]    intr_q;
  logic [NumHarts*12-1:0] prescale_d, prescale_q;
  logic [NumHarts*8-1:0]  step_d, step_q;
  logic [NumHarts*12-1:0] count_d, count_q;
  logic [NumHarts*64-1:0] mtime_d, mtime_q;
  logic [NumHarts*64-1:0] mtimecmp_d, mtimecmp_q;

  logic [NumHarts-1:0] tick, expired, state_clr, state_set;
  logic                wr;
  logic [3:0]          a_blk;
  logic [7:0]          a_off;

  assign wr    = reg_req_i & reg_we_i;
  assign a_blk = reg_addr_i[11:8];
  assign a_off = reg_addr_i[7:0];

  // Hardware: prescaler, mtime increment, compare.
  always_comb begin
    for (int unsigned h = 0; h < NumHarts; h++) begin
      tick[h]    = active_q[h] & (count_q[h*12 +: 12] >= prescale_q[h*12 +: 12]);
      expired[h] = (mtime_q[h*64 +: 64] >= mtimecmp_q[h*64 +: 64]);
    end
  end

  // Software access (writes override the hardware update of the same field).
  always_comb begin
    reg_rdata_o = '0;
    reg_error_o = 1'b0;
    active_d    = active_q;
    intr_en_d   = intr_en_q;
    prescale_d  = prescale_q;
    step_d      = step_q;
    mtimecmp_d  = mtimecmp_q;
    state_clr   = '0;
    state_set   = '0;
    for (int unsigned h = 0; h < NumHarts; h++) begin
      if (!active_q[h] || tick[h]) begin
        count_d[h*12 +: 12] = '0;
      end else begin
        count_d[h*12 +: 12] = count_q[h*12 +: 12] + 12'd1;
      end
      if (tick[h]) begin
        mtime_d[h*64 +: 64] = mtime_q[h*64 +: 64] + 64'(step_q[h*8 +: 8]);
      end else begin
        mtime_d[h*64 +: 64] = mtime_q[h*64 +: 64];
      end
    end

    if (reg_addr_i[1:0] != 2'b00) begin
      reg_error_o = 1'b1;
    end else if (a_blk == 4'd0) begin
      if (a_off == 8'h04) begin
        reg_rdata_o = 32'(active_q);
        if (wr) begin
          active_d = reg_wdata_i[NumHarts-1:0];
        end
      end else begin
        reg_error_o = 1'b1;
      end
    end else begin
      reg_error_o = 1'b1;
      for (int unsigned h = 0; h < NumHarts; h++) begin
        if (a_blk == 4'(h + 1)) begin
          reg_error_o = 1'b0;
          unique case (a_off)
            OffIntrEnable: begin
              reg_rdata_o = {31'h0, intr_en_q[h]};
              if (wr) intr_en_d[h] = reg_wdata_i[0];
            end
            OffIntrState: begin
              reg_rdata_o = {31'h0, intr_state_q[h]};
              if (wr) state_clr[h] = reg_wdata_i[0];
            end
            OffIntrTest: begin
              if (wr) state_set[h] = reg_wdata_i[0];
            end
            OffCfg: begin
              reg_rdata_o = {8'h0, step_q[h*8 +: 8], 4'h0, prescale_q[h*12 +: 12]};
              if (wr) begin
                prescale_d[h*12 +: 12] = reg_wdata_i[11:0];
                step_d[h*8 +: 8]       = reg_wdata_i[23:16];
              end
            end
            OffMtimeLo: begin
              reg_rdata_o = mtime_q[h*64 +: 32];
              if (wr) mtime_d[h*64 +: 32] = reg_wdata_i;
            end
            OffMtimeHi: begin
              reg_rdata_o = mtime_q[h*64 + 32 +: 32];
              if (wr) mtime_d[h*64 + 32 +: 32] = reg_wdata_i;
            end
            OffMtimecmpLo: begin
              reg_rdata_o = mtimecmp_q[h*64 +: 32];
              if (wr) mtimecmp_d[h*64 +: 32] = reg_wdata_i;
            end
            OffMtimecmpHi: begin
              reg_rdata_o = mtimecmp_q[h*64 + 32 +: 32];
              if (wr) mtimecmp_d[h*64 + 32 +: 32] = reg_wdata_i;
            end
            default: reg_error_o = 1'b1;
          endcase
        end
      end
    end

    // Hardware set (compare) and INTR_TEST win over the rw1c clear.
    intr_state_d = (intr_state_q & ~state_clr) | state_set | expired;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      active_q     <= '0;
      intr_en_q    <= '0;
      intr_state_q <= '0;
      intr_q       <= '0;
      prescale_q   <= '0;
      step_q       <= {NumHarts{8'd1}};
      count_q      <= '0;
      mtime_q      <= '0;
      mtimecmp_q   <= '1;
    end else begin
      active_q     <= active_d;
      intr_en_q    <= intr_en_d;
      intr_state_q <= intr_state_d;
      intr_q       <= intr_state_q & intr_en_q;
      prescale_q   <= prescale_d;
      step_q       <= step_d;
      count_q      <= count_d;
      mtime_q      <= mtime_d;
      mtimecmp_q   <= mtimecmp_d;
    end
  end

  assign intr_o = intr_q;

endmodule
