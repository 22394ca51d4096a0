// plic: RISC-V PLIC 1.0.0 compatible interrupt controller (OpenTitan rv_plic structure).
//
// Register map (byte offsets inside the 4 MiB window, 32-bit registers):
//   0x000000 + 4*id              PRIO[id]      WARL, PrioW bits; PRIO[0] reads 0
//   0x001000 + 4*w               IP word w     read-only (writes ignored); bit 0 is 0
//   0x002000 + 0x80*ctx + 4*w    IE[ctx] w     bit 0 of word 0 is hard-wired 0
//   0x200000 + 0x1000*ctx        THRESHOLD     PrioW bits
//   0x200004 + 0x1000*ctx        CC            read = claim, write = complete
// Any other offset, or a non-existent source/context/word, returns reg_error_o.
// Reset: everything 0.
//
// Timing (cycle c = the period after rising edge c):
//   * source line high in cycle c -> IP set at edge c+1 -> irq_o/irq_id_o (registered
//     target) high in cycle c+2. Two clock edges, no synchroniser (single clock).
//   * Claim (CC read accepted at edge e) returns irq_id_o of that context as seen in the
//     cycle before e (the highest-priority pending enabled source with priority > 0,
//     regardless of the threshold, 0 if none) and clears that IP bit at edge e; irq_o
//     falls in cycle e+1 if nothing else is eligible.
//   * Complete (CC write of an ID enabled for that context, accepted at edge e) re-arms
//     the gateway at edge e; a level line still high re-pends at edge e+1 (irq in e+2).
//     A complete of an ID that is not enabled for that context is ignored.
// The claim uses the registered irq_id_o. This is exact as long as bus accesses are at
// least 2 cycles apart, which tlul_adapter_reg guarantees (one outstanding access, each
// taking 2 cycles): every bus-visible change (claim, IE, PRIO) at edge e is reflected in
// irq_id_o from cycle e+1, before the next access can be accepted at edge e+2.
module plic #(
  parameter  int unsigned       NumSrc    = 32,
  parameter  int unsigned       NumTarget = 2,
  parameter  int unsigned       PrioW     = 3,
  parameter  logic [NumSrc-1:0] EdgeTrig  = '0,
  localparam int unsigned       IdW       = $clog2(NumSrc)
) (
  input  logic                     clk_i,
  input  logic                     rst_ni,
  input  logic [NumSrc-1:0]        intr_src_i,  // bit 0 ignored
  // Simple register bus (offset within the 4 MiB window)
  input  logic                     reg_req_i,
  input  logic                     reg_we_i,
  input  logic [21:0]              reg_addr_i,
  input  logic [31:0]              reg_wdata_i,
  output logic [31:0]              reg_rdata_o,
  output logic                     reg_error_o,
  // Per-context notification
  output logic [NumTarget-1:0]     irq_o,
  output logic [NumTarget*IdW-1:0] irq_id_o
);

  localparam int unsigned NumWords = (NumSrc + 31) / 32;

  logic [NumSrc-1:0]           ip_q /* verilator public_flat_rd */;
  logic [NumSrc-1:0]           ip_d;
  logic [NumSrc*PrioW-1:0]     prio_d, prio_q;
  logic [NumTarget*NumSrc-1:0] ie_d, ie_q;
  logic [NumTarget*PrioW-1:0]  thr_d, thr_q;

  logic [NumTarget-1:0]        claim_ctx, complete_ctx;
  logic [NumSrc-1:0]           claim, complete;
  logic [NumSrc-1:0]           src;
  logic [NumWords*32-1:0]      ip_pad;
  logic [NumTarget*NumWords*32-1:0] ie_pad;

  logic        wr, rd;
  logic [9:0]  a_word;     // addr[11:2]: PRIO id, IP word, or register inside a ctx page
  logic [13:0] a_ie_ctx;   // context of an IE address
  logic [4:0]  a_ie_word;  // word inside an IE block
  logic [8:0]  a_ctx;      // context of a THRESHOLD/CC address

  assign wr        = reg_req_i & reg_we_i;
  assign rd        = reg_req_i & ~reg_we_i;
  assign a_word    = reg_addr_i[11:2];
  assign a_ie_ctx  = reg_addr_i[20:7] - 14'h40;
  assign a_ie_word = reg_addr_i[6:2];
  assign a_ctx     = reg_addr_i[20:12];

  // Source 0 does not exist.
  assign src = {intr_src_i[NumSrc-1:1], 1'b0};
  logic unused_src0;
  assign unused_src0 = intr_src_i[0];

  always_comb begin
    ip_pad = '0;
    ie_pad = '0;
    ip_pad[NumSrc-1:0] = ip_q;
    for (int unsigned c = 0; c < NumTarget; c++) begin
      for (int unsigned i = 0; i < NumSrc; i++) begin
        ie_pad[c*NumWords*32 + i] = ie_q[c*NumSrc + i];
      end
    end
  end

  // Register decode, read mux and next-state of the software registers.
  always_comb begin
    reg_rdata_o  = '0;
    reg_error_o  = 1'b0;
    prio_d       = prio_q;
    ie_d         = ie_q;
    thr_d        = thr_q;
    claim_ctx    = '0;
    complete_ctx = '0;
    if (reg_addr_i[1:0] != 2'b00) begin
      reg_error_o = 1'b1;
    end else if (reg_addr_i[21:12] == 10'h000) begin
      // PRIO. PRIO[0] exists (reads 0, writes ignored).
      reg_error_o = (a_word != 10'd0);
      for (int unsigned i = 1; i < NumSrc; i++) begin
        if (a_word == 10'(i)) begin
          reg_error_o = 1'b0;
          reg_rdata_o = 32'(prio_q[i*PrioW +: PrioW]);
          if (wr) begin
            prio_d[i*PrioW +: PrioW] = reg_wdata_i[PrioW-1:0];
          end
        end
      end
    end else if (reg_addr_i[21:12] == 10'h001) begin
      // IP (read-only, writes ignored)
      reg_error_o = 1'b1;
      for (int unsigned w = 0; w < NumWords; w++) begin
        if (a_word == 10'(w)) begin
          reg_error_o = 1'b0;
          reg_rdata_o = ip_pad[w*32 +: 32];
        end
      end
    end else if (!reg_addr_i[21]) begin
      // IE, 0x2000 .. 0x1FFFFF
      reg_error_o = 1'b1;
      for (int unsigned c = 0; c < NumTarget; c++) begin
        for (int unsigned w = 0; w < NumWords; w++) begin
          if ((a_ie_ctx == 14'(c)) && (a_ie_word == 5'(w))) begin
            reg_error_o = 1'b0;
            reg_rdata_o = ie_pad[(c*NumWords + w)*32 +: 32];
            if (wr) begin
              for (int unsigned i = 1; i < NumSrc; i++) begin
                if (i / 32 == w) begin
                  ie_d[c*NumSrc + i] = reg_wdata_i[i % 32];
                end
              end
            end
          end
        end
      end
    end else begin
      // THRESHOLD / CC, 0x200000 + 0x1000*ctx
      reg_error_o = 1'b1;
      for (int unsigned c = 0; c < NumTarget; c++) begin
        if (a_ctx == 9'(c)) begin
          if (a_word == 10'd0) begin
            reg_error_o = 1'b0;
            reg_rdata_o = 32'(thr_q[c*PrioW +: PrioW]);
            if (wr) begin
              thr_d[c*PrioW +: PrioW] = reg_wdata_i[PrioW-1:0];
            end
          end else if (a_word == 10'd1) begin
            reg_error_o     = 1'b0;
            reg_rdata_o     = 32'(irq_id_o[c*IdW +: IdW]);
            claim_ctx[c]    = rd;
            complete_ctx[c] = wr;
          end
        end
      end
    end
  end

  // Claim clears the returned ID; complete only for IDs enabled in that context.
  always_comb begin
    claim    = '0;
    complete = '0;
    for (int unsigned c = 0; c < NumTarget; c++) begin
      for (int unsigned i = 1; i < NumSrc; i++) begin
        if (claim_ctx[c] && (irq_id_o[c*IdW +: IdW] == IdW'(i))) begin
          claim[i] = 1'b1;
        end
        if (complete_ctx[c] && (reg_wdata_i == 32'(i)) && ie_q[c*NumSrc + i]) begin
          complete[i] = 1'b1;
        end
      end
    end
  end

  plic_gateway #(
    .NumSrc   (NumSrc),
    .EdgeTrig (EdgeTrig)
  ) u_gateway (
    .clk_i      (clk_i),
    .rst_ni     (rst_ni),
    .src_i      (src),
    .ip_i       (ip_q),
    .claim_i    (claim),
    .complete_i (complete),
    .ip_d_o     (ip_d)
  );

  for (genvar c = 0; c < NumTarget; c++) begin : gen_target
    plic_target #(
      .NumSrc (NumSrc),
      .PrioW  (PrioW)
    ) u_target (
      .clk_i       (clk_i),
      .rst_ni      (rst_ni),
      .ip_i        (ip_q),
      .ie_i        (ie_q[c*NumSrc +: NumSrc]),
      .prio_i      (prio_q),
      .threshold_i (thr_q[c*PrioW +: PrioW]),
      .irq_o       (irq_o[c]),
      .irq_id_o    (irq_id_o[c*IdW +: IdW])
    );
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ip_q   <= '0;
      prio_q <= '0;
      ie_q   <= '0;
      thr_q  <= '0;
    end else begin
      ip_q   <= ip_d;
      prio_q <= prio_d;
      ie_q   <= ie_d;
      thr_q  <= thr_d;
    end
  end

endmodule
