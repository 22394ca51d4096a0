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
//   * Claim (CC read accepted at edge e) returns the highest-priority pending enabled
//     source with priority > 0 of that context as of the cycle before e (the claim's
//     cycle), regardless of the threshold, 0 if none, and clears that IP bit at edge e;
//     irq_o falls in cycle e+1 if nothing else is eligible. The ID is computed
//     combinationally from ip/ie/prio (plic_target claim_id_o), not taken from the
//     registered irq_id_o, which lags IP by one edge: a source pending from edge e-1 on is
//     claimable at edge e. irq_o keeps its timing, so it is then high in cycle e only, a
//     stale notification the spec allows (a claim in cycle e returns 0).
//   * Complete (CC write of an ID enabled for that context, accepted at edge e) re-arms
//     the gateway at edge e; a level line still high re-pends at edge e+1 (irq in e+2).
//     A complete of an ID that is not enabled for that context is ignored.
// Quiescence: quiescent_o is high when the next edge changes no PLIC flop: no register
// access, and the gateways and every target hold. The PLIC has no free-running state, so
// with unchanged inputs a quiescent PLIC stays quiescent.
// Assertions (simulation only, `ifndef SYNTHESIS, enabled by verilator --assert): a claim
// returns the spec's ID; quiescent_o keeps its promise. The gateways and targets check
// their own invariants.
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
  output logic [NumTarget*IdW-1:0] irq_id_o,
  output logic                     quiescent_o
);

  localparam int unsigned NumWords = (NumSrc + 31) / 32;
  localparam int unsigned CtxW     = (NumTarget > 1) ? $clog2(NumTarget) : 1;
  localparam int unsigned WordW    = (NumWords > 1) ? $clog2(NumWords) : 1;
  // IE bits that exist: sources 1 .. NumSrc-1 (bit 0 and the word padding stay 0).
  localparam logic [NumWords*32-1:0] IeMask = (NumWords*32)'({NumSrc{1'b1}}) &
                                              ~(NumWords*32)'(1);

  // Register state, flat vectors indexed directly by the address bits. prio_q is the
  // per-source vector plic_target takes (field 0, the non-existent source 0, is never
  // written and stays 0); IE is word-padded per context (context c, word w at bit
  // (c*NumWords + w)*32).
  logic [NumSrc-1:0]                ip_q /* verilator public_flat_rd */;
  logic [NumSrc-1:0]                ip_d;
  logic                             gateway_quiescent;
  logic [NumTarget-1:0]             target_quiescent;
  logic [NumSrc*PrioW-1:0]          prio_q;
  // The same priorities as PrioW bit planes (plane b at [b*NumSrc +: NumSrc]: bit b of every
  // source's priority) and whether each is non-zero, the form plic_target selects on. They
  // are written with prio_q rather than sliced from it: sliced, the simulation redoes the
  // slicing on every cycle (some 750 of its instructions) for values that change only with
  // a PRIO write.
  /* verilator tracing_off */
  logic [PrioW*NumSrc-1:0]          prio_plane_q;
  logic [NumSrc-1:0]                prio_nz_q;
  /* verilator tracing_on */
  logic [NumTarget*NumWords*32-1:0] ie_q;
  logic [NumTarget*PrioW-1:0]       thr_q;
  logic [NumTarget*IdW-1:0]         irq_id;
  logic [NumTarget*IdW-1:0]         claim_id;

  logic [NumSrc-1:0]                claim, complete;
  logic [NumSrc-1:0]                src;
  logic [NumWords*32-1:0]           ip_pad;

  // Address decode. Every sel_* includes the 4-byte alignment and the existence of the
  // addressed source / word / context; at most one is set.
  logic        wr, rd;
  logic [9:0]  a_word;     // addr[11:2]: PRIO id, IP word, or register inside a ctx page
  logic [13:0] a_ie_ctx;   // context of an IE address
  logic [4:0]  a_ie_word;  // word inside an IE block
  logic [8:0]  a_ctx;      // context of a THRESHOLD/CC address
  logic        aligned;
  logic        sel_prio, sel_ip, sel_ie, sel_thr, sel_cc;
  logic [IdW-1:0]   prio_idx;
  logic [WordW-1:0] word_idx;  // IP / IE word
  logic [CtxW-1:0]  ctx_idx;   // IE / THRESHOLD / CC context
  logic [CtxW+WordW-1:0] ie_idx;  // IE word: ctx_idx*NumWords + word_idx
  logic [IdW-1:0]   cc_id;     // claim result of the addressed context (this cycle's)

  assign wr        = reg_req_i & reg_we_i;
  assign rd        = reg_req_i & ~reg_we_i;
  assign a_word    = reg_addr_i[11:2];
  assign a_ie_ctx  = reg_addr_i[20:7] - 14'h40;
  assign a_ie_word = reg_addr_i[6:2];
  assign a_ctx     = reg_addr_i[20:12];
  assign aligned   = (reg_addr_i[1:0] == 2'b00);

  // PRIO at 0x000000, IP at 0x001000, IE from 0x002000 up to 0x1FFFFF, THRESHOLD/CC from
  // 0x200000 (addr[21] set).
  assign sel_prio = aligned && (reg_addr_i[21:12] == 10'h000) && (32'(a_word) < NumSrc);
  assign sel_ip   = aligned && (reg_addr_i[21:12] == 10'h001) && (32'(a_word) < NumWords);
  assign sel_ie   = aligned && !reg_addr_i[21] && (reg_addr_i[20:13] != 8'h00) &&
                    (32'(a_ie_ctx) < NumTarget) && (32'(a_ie_word) < NumWords);
  assign sel_thr  = aligned && reg_addr_i[21] && (32'(a_ctx) < NumTarget) &&
                    (a_word == 10'd0);
  assign sel_cc   = aligned && reg_addr_i[21] && (32'(a_ctx) < NumTarget) &&
                    (a_word == 10'd1);

  assign prio_idx = a_word[IdW-1:0];
  assign word_idx = sel_ip ? a_word[WordW-1:0] : a_ie_word[WordW-1:0];
  assign ctx_idx  = sel_ie ? a_ie_ctx[CtxW-1:0] : a_ctx[CtxW-1:0];
  assign ie_idx   = (CtxW+WordW)'(ctx_idx) * (CtxW+WordW)'(NumWords) +
                    (CtxW+WordW)'(word_idx);
  assign cc_id    = claim_id[ctx_idx*IdW +: IdW];

  // Source 0 does not exist.
  assign src = {intr_src_i[NumSrc-1:1], 1'b0};
  logic unused_src0;
  assign unused_src0 = intr_src_i[0];

  assign ip_pad = (NumWords*32)'(ip_q);

  // Read mux. Errors (non-existent register) read 0.
  always_comb begin
    reg_rdata_o = '0;
    reg_error_o = 1'b0;
    if (sel_prio) begin
      reg_rdata_o = 32'(prio_q[prio_idx*PrioW +: PrioW]);
    end else if (sel_ip) begin
      reg_rdata_o = ip_pad[word_idx*32 +: 32];
    end else if (sel_ie) begin
      reg_rdata_o = ie_q[ie_idx*32 +: 32];
    end else if (sel_thr) begin
      reg_rdata_o = 32'(thr_q[ctx_idx*PrioW +: PrioW]);
    end else if (sel_cc) begin
      reg_rdata_o = 32'(cc_id);
    end else begin
      reg_error_o = 1'b1;
    end
  end

  // Claim (CC read) clears the returned ID (0 = none); complete (CC write) only for an ID
  // 1 .. NumSrc-1 enabled in that context.
  assign claim    = (rd && sel_cc) ? ((NumSrc'(1) << cc_id) & ~NumSrc'(1)) : '0;
  assign complete = (wr && sel_cc && (reg_wdata_i < 32'(NumSrc))) ?
                    ((NumSrc'(1) << reg_wdata_i[IdW-1:0]) & ie_q[ctx_idx*NumWords*32 +: NumSrc] &
                     ~NumSrc'(1)) : '0;

  plic_gateway #(
    .NumSrc   (NumSrc),
    .EdgeTrig (EdgeTrig)
  ) u_gateway (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .src_i       (src),
    .ip_i        (ip_q),
    .claim_i     (claim),
    .complete_i  (complete),
    .ip_d_o      (ip_d),
    .quiescent_o (gateway_quiescent)
  );

  for (genvar c = 0; c < NumTarget; c++) begin : gen_target
    plic_target #(
      .NumSrc (NumSrc),
      .PrioW  (PrioW)
    ) u_target (
      .clk_i        (clk_i),
      .rst_ni       (rst_ni),
      .ip_i         (ip_q),
      .ie_i         (ie_q[c*NumWords*32 +: NumSrc]),
      .prio_i       (prio_q),
      .prio_plane_i (prio_plane_q),
      .prio_nz_i    (prio_nz_q),
      .threshold_i  (thr_q[c*PrioW +: PrioW]),
      .irq_o        (irq_o[c]),
      .irq_id_o     (irq_id[c*IdW +: IdW]),
      .claim_id_o   (claim_id[c*IdW +: IdW]),
      .quiescent_o  (target_quiescent[c])
    );
  end

  assign quiescent_o = !reg_req_i && gateway_quiescent && (&target_quiescent);

  assign irq_id_o = irq_id;

  // Software registers: a write changes only the addressed field. PRIO[0] and IE bit 0 are
  // never written.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ip_q         <= '0;
      prio_q       <= '0;
      prio_plane_q <= '0;
      prio_nz_q    <= '0;
      ie_q         <= '0;
      thr_q        <= '0;
    end else begin
      ip_q <= ip_d;
      if (wr && sel_prio && (prio_idx != '0)) begin
        prio_q[prio_idx*PrioW +: PrioW] <= reg_wdata_i[PrioW-1:0];
        prio_nz_q[prio_idx]             <= |reg_wdata_i[PrioW-1:0];
        for (int unsigned b = 0; b < PrioW; b++) begin
          prio_plane_q[b*NumSrc + 32'(prio_idx)] <= reg_wdata_i[b];
        end
      end
      if (wr && sel_ie) begin
        ie_q[ie_idx*32 +: 32] <= reg_wdata_i & IeMask[word_idx*32 +: 32];
      end
      if (wr && sel_thr) begin
        thr_q[ctx_idx*PrioW +: PrioW] <= reg_wdata_i[PrioW-1:0];
      end
    end
  end

`ifndef SYNTHESIS
  // The spec's claim result for context ctx, by a plain scan (independent of the radix
  // descent in plic_target): the pending enabled source with priority > 0 and the highest
  // priority, the lowest ID among equals; 0 if none. The threshold plays no part.
  function automatic logic [IdW-1:0] spec_claim_id(input logic [NumSrc-1:0] ip,
                                                   input logic [NumSrc-1:0] ie,
                                                   input logic [NumSrc*PrioW-1:0] prio);
    logic [IdW-1:0]   best_id;
    logic [PrioW-1:0] best_prio;
    best_id   = '0;
    best_prio = '0;
    for (int unsigned i = 1; i < NumSrc; i++) begin
      if (ip[i] && ie[i] && (prio[i*PrioW +: PrioW] > best_prio)) begin
        best_id   = IdW'(i);
        best_prio = prio[i*PrioW +: PrioW];
      end
    end
    return best_id;
  endfunction

  // The scan runs only in a cycle with a claim (run on every cycle it would cost the
  // simulation more than the PLIC's own logic).
  /* verilator tracing_off */
  logic [IdW-1:0] spec_cc_id;
  /* verilator tracing_on */
  always_comb begin
    spec_cc_id = '0;
    if (rd && sel_cc) begin
      spec_cc_id = spec_claim_id(ip_q, ie_q[ctx_idx*NumWords*32 +: NumSrc], prio_q);
    end
  end

  ClaimReturnsSpecId: assert property (@(posedge clk_i) disable iff (!rst_ni)
    (rd && sel_cc) |-> cc_id == spec_cc_id);
  // Hence never a disabled, non-pending or priority-0 source; and the claimed bit clears.
  ClaimClearsPending: assert property (@(posedge clk_i) disable iff (!rst_ni)
    (rd && sel_cc && (cc_id != '0)) |=> !ip_q[$past(cc_id)]);
  // What the co-simulation relies on when it skips quiescent cycles.
  QuiescentHoldsState: assert property (@(posedge clk_i) disable iff (!rst_ni)
    quiescent_o |=> $stable(ip_q) && $stable(irq_o) && $stable(irq_id));
`endif

endmodule
