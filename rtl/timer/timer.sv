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
// registered. The INTR_* registers are the shared cell prim_intr_reg (bit h = hart h).
//
// Timing, prescale P, step 1, mtime = 0, CTRL.active written at accepting edge e:
//   mtime = k in cycle e + k*(P+1) (first tick in cycle e+P, increment at edge e+P+1);
//   with mtimecmp = N: mtime reaches N in cycle e + N*(P+1), INTR_STATE is set at edge
//   e + N*(P+1) + 1 and intr_o rises in cycle e + N*(P+1) + 2.
//
// Quiescence. The prescale counters (count_q) and mtime (mtime_q) are free-running: they
// change every cycle while a hart is active, but affect nothing else except through the
// compare (mtime >= mtimecmp). quiescent_o is high when the next edge changes no other
// flop: no register access, INTR_STATE and intr_o hold. A simulator may then skip cycles,
// computing the counters instead of clocking them, up to the next compare match; the law
// it uses (cosim/rtl/timer_law.h), per active hart with prescale P, step S: a tick
// happens in every cycle where count >= P, then count restarts at 0 and mtime += S at the
// next edge; otherwise count + 1. An inactive hart's count goes to 0 and mtime holds. The
// counters and the registers the law reads carry verilator public attributes for that.
// Assertions (`ifndef SYNTHESIS): per hart, mtime moves only by a tick (by exactly step)
// or by a software write of MTIME; quiescent_o keeps its promise.
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
  output logic [NumHarts-1:0] intr_o,
  output logic                quiescent_o
);

  localparam int unsigned HartW = (NumHarts > 1) ? $clog2(NumHarts) : 1;

  // Per-hart registers, index = reg_addr_i[4:2] inside the hart's 0x100 block.
  localparam logic [2:0] RegIntrEnable = 3'd0;
  localparam logic [2:0] RegIntrState  = 3'd1;
  localparam logic [2:0] RegIntrTest   = 3'd2;
  localparam logic [2:0] RegCfg        = 3'd3;
  localparam logic [2:0] RegMtimeLo    = 3'd4;
  localparam logic [2:0] RegMtimeHi    = 3'd5;
  localparam logic [2:0] RegMtimecmpLo = 3'd6;
  localparam logic [2:0] RegMtimecmpHi = 3'd7;

  // Flat per-hart vectors: hart h at [h*W +: W].
  logic [NumHarts-1:0]    active_q     /* verilator public_flat_rd */;
  logic [NumHarts-1:0]    intr_en;
  // INTR_STATE of the cell, named here because the co-simulation reads it by this path.
  logic [NumHarts-1:0]    intr_state_q /* verilator public_flat_rd */;
  logic                   intr_quiescent;
  logic [NumHarts*12-1:0] prescale_q   /* verilator public_flat_rd */;
  logic [NumHarts*8-1:0]  step_q       /* verilator public_flat_rd */;
  // The free-running counters stay out of the waves: they change on every cycle and would
  // make up most of a trace (mtime is read through MTIME_LO/HI, and the compare shows in
  // INTR_STATE and intr_o).
  /* verilator tracing_off */
  logic [NumHarts*12-1:0] count_d;
  logic [NumHarts*12-1:0] count_q      /* verilator public_flat_rw */;
  logic [NumHarts*64-1:0] mtime_d;
  logic [NumHarts*64-1:0] mtime_q      /* verilator public_flat_rw */;
  logic [NumHarts-1:0]    tick;
  /* verilator tracing_on */
  logic [NumHarts*64-1:0] mtimecmp_q   /* verilator public_flat_rd */;

  logic [NumHarts-1:0] expired, state_clr, state_set, enable_we;
  logic                wr;
  logic [3:0]          a_blk;
  logic [2:0]          a_reg;
  logic                sel_ctrl, sel_hart;
  logic [HartW-1:0]    hart_idx;
  logic [NumHarts-1:0] hart_onehot;
  logic [HartW:0]      word_idx;  // 32-bit word of mtime_q / mtimecmp_q: {hart, hi}

  assign wr    = reg_req_i & reg_we_i;
  assign a_blk = reg_addr_i[11:8];
  assign a_reg = reg_addr_i[4:2];

  // Address decode: CTRL at 0x004; the 8 registers of hart h at 0x100*(h+1) + 0x00..0x1C.
  assign sel_ctrl    = (reg_addr_i == 12'h004);
  assign sel_hart    = (reg_addr_i[1:0] == 2'b00) && (reg_addr_i[7:5] == 3'b000) &&
                       (a_blk != 4'd0) && (32'(a_blk) <= NumHarts);
  assign hart_idx    = HartW'(a_blk - 4'd1);
  assign hart_onehot = NumHarts'(1) << hart_idx;

  // Hardware: prescaler, mtime increment, compare.
  always_comb begin
    for (int unsigned h = 0; h < NumHarts; h++) begin
      tick[h]    = active_q[h] & (count_q[h*12 +: 12] >= prescale_q[h*12 +: 12]);
      expired[h] = (mtime_q[h*64 +: 64] >= mtimecmp_q[h*64 +: 64]);
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
  end

  // Read mux. Errors (holes, non-existent harts, unaligned) read 0.
  assign word_idx = {hart_idx, a_reg[0]};

  always_comb begin
    reg_rdata_o = '0;
    reg_error_o = 1'b0;
    if (sel_ctrl) begin
      reg_rdata_o = 32'(active_q);
    end else if (sel_hart) begin
      unique case (a_reg)
        RegIntrEnable: reg_rdata_o = {31'h0, intr_en[hart_idx]};
        RegIntrState:  reg_rdata_o = {31'h0, intr_state_q[hart_idx]};
        RegIntrTest:   reg_rdata_o = '0;
        RegCfg:        reg_rdata_o = {8'h0, step_q[hart_idx*8 +: 8], 4'h0,
                                      prescale_q[hart_idx*12 +: 12]};
        RegMtimeLo,
        RegMtimeHi:    reg_rdata_o = mtime_q[word_idx*32 +: 32];
        RegMtimecmpLo,
        RegMtimecmpHi: reg_rdata_o = mtimecmp_q[word_idx*32 +: 32];
        default:       reg_rdata_o = '0;
      endcase
    end else begin
      reg_error_o = 1'b1;
    end
  end

  // INTR_*: the compare is the hardware event; it and INTR_TEST win over the rw1c clear.
  assign state_clr = (wr && sel_hart && (a_reg == RegIntrState) && reg_wdata_i[0]) ?
                     hart_onehot : '0;
  assign state_set = (wr && sel_hart && (a_reg == RegIntrTest) && reg_wdata_i[0]) ?
                     hart_onehot : '0;
  assign enable_we = (wr && sel_hart && (a_reg == RegIntrEnable)) ? hart_onehot : '0;

  prim_intr_reg #(
    .Width (NumHarts)
  ) u_intr (
    .clk_i          (clk_i),
    .rst_ni         (rst_ni),
    .event_i        (expired),
    .state_clear_i  (state_clr),
    .test_set_i     (state_set),
    .enable_we_i    (enable_we),
    .enable_wdata_i ({NumHarts{reg_wdata_i[0]}}),
    .state_o        (intr_state_q),
    .enable_o       (intr_en),
    .intr_o         (intr_o),
    .quiescent_o    (intr_quiescent)
  );

  assign quiescent_o = !reg_req_i && intr_quiescent;

  // Software writes change only the addressed field and win over the hardware update of
  // the same field (MTIME).
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      active_q     <= '0;
      prescale_q   <= '0;
      step_q       <= {NumHarts{8'd1}};
      count_q      <= '0;
      mtime_q      <= '0;
      mtimecmp_q   <= '1;
    end else begin
      count_q      <= count_d;
      mtime_q      <= mtime_d;
      if (wr && sel_ctrl) begin
        active_q <= reg_wdata_i[NumHarts-1:0];
      end
      if (wr && sel_hart) begin
        unique case (a_reg)
          RegCfg: begin
            prescale_q[hart_idx*12 +: 12] <= reg_wdata_i[11:0];
            step_q[hart_idx*8 +: 8]       <= reg_wdata_i[23:16];
          end
          RegMtimeLo,
          RegMtimeHi:    mtime_q[word_idx*32 +: 32]    <= reg_wdata_i;
          RegMtimecmpLo,
          RegMtimecmpHi: mtimecmp_q[word_idx*32 +: 32] <= reg_wdata_i;
          default: ;
        endcase
      end
    end
  end

`ifndef SYNTHESIS
  for (genvar h = 0; h < NumHarts; h++) begin : gen_assert
    logic mtime_written;
    assign mtime_written = wr && sel_hart && (hart_idx == HartW'(h)) &&
                           ((a_reg == RegMtimeLo) || (a_reg == RegMtimeHi));
    MtimeMovesOnlyByStep: assert property (@(posedge clk_i) disable iff (!rst_ni)
      !mtime_written |=>
        mtime_q[h*64 +: 64] == $past(mtime_q[h*64 +: 64] +
                                     (tick[h] ? 64'(step_q[h*8 +: 8]) : 64'd0)));
  end
  QuiescentHoldsState: assert property (@(posedge clk_i) disable iff (!rst_ni)
    quiescent_o |=> $stable(intr_state_q) && $stable(intr_o) && $stable(intr_en) &&
                    $stable(active_q) && $stable(prescale_q) && $stable(step_q) &&
                    $stable(mtimecmp_q));
`endif

endmodule
