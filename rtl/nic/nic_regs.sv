// nic_regs: the NIC's register file (e1000 subset, offsets and bits of the 8254x manual;
// the table with every field is in docs/rtl.md, generated from rtl/soc/soc.yaml).
//
// Register port: the simple bus of the SoC (offset inside the 64 KiB window). A read or
// write in cycle s takes effect at edge s+1; reads are combinational from the flops, so a
// read returns the value before its own side effect (ICR, statistics: read then clear).
// Any offset not in the map, or not word-aligned, answers reg_error_o and has no effect.
//
// Semantics:
//   CTRL    stored (RST bit 26 not stored: writing it pulses soft_rst_o, which resets every
//           block of the NIC, this file included, at the same edge, so RST reads 0).
//   STATUS  LU = 1; RXDMAERR (16) / TXDMAERR (17): sticky, set by the DMA engines.
//   ICR     implemented causes TXDW 0, TXQE 1, LSC 2, RXDMT0 4, RXO 6, RXT0 7. A read
//           clears every bit, a write of 1 clears that bit; a cause raised in the same
//           cycle as the clear survives it (set wins).
//   ICS     write 1 sets the ICR bit; IMS reads the mask, write 1 sets; IMC write 1 clears.
//   RCTL, TCTL  only the implemented fields are stored; other bits read 0.
//   RDBAL/TDBAL bits 3:0 read 0; RDLEN/TDLEN bits 19:0; RDH/RDT/TDH/TDT bits 15:0. The
//           engines update RDH/TDH (rdh_we_i, tdh_we_i); a software write of the same
//           register in the same cycle wins.
//   RDTR    DELAY 15:0 stored; FPD (bit 31) is not stored: writing it pulses fpd_o.
//   Statistics (MPC, RLEC, RNBC, GPRC, GPTC, GORCL, GOTCL): saturating at 2^32-1, a read
//           returns the count and clears it; an increment in the same cycle counts after
//           the clear (nothing is lost).
//
// Quiescence: with no register access and no hardware update input active, no flop changes
// at the next edge (quiescent_o = !reg_req_i; the update inputs come from the other NIC
// blocks, which are not quiescent while they drive them).
module nic_regs (
  input  logic        clk_i,
  input  logic        rst_ni,
  // register port
  input  logic        reg_req_i,
  input  logic        reg_we_i,
  input  logic [15:0] reg_addr_i,
  input  logic [31:0] reg_wdata_i,
  output logic [31:0] reg_rdata_o,
  output logic        reg_error_o,
  // CTRL.RST written: synchronous reset of the whole NIC at this edge
  output logic        soft_rst_o,
  // configuration
  output logic        rx_en_o,
  output logic [1:0]  rx_lbm_o,
  output logic [1:0]  rx_rdmts_o,
  output logic        rx_bam_o,
  output logic [1:0]  rx_bsize_o,
  output logic        rx_secrc_o,
  output logic        tx_en_o,
  output logic        tx_psp_o,
  output logic [31:0] rdba_o,
  output logic [19:0] rdlen_o,
  output logic [15:0] rdh_o,
  output logic [15:0] rdt_o,
  output logic [31:0] tdba_o,
  output logic [19:0] tdlen_o,
  output logic [15:0] tdh_o,
  output logic [15:0] tdt_o,
  output logic [15:0] itr_o,
  output logic [15:0] rdtr_o,
  output logic [15:0] radv_o,
  output logic        fpd_o,
  output logic [47:0] station_addr_o,
  output logic        station_valid_o,
  // interrupt causes and mask
  output logic [7:0]  icr_o,
  output logic [7:0]  ims_o,
  // hardware updates
  input  logic        rdh_we_i,
  input  logic [15:0] rdh_wdata_i,
  input  logic        tdh_we_i,
  input  logic [15:0] tdh_wdata_i,
  input  logic [7:0]  cause_set_i,
  input  logic        rx_dma_error_i,
  input  logic        tx_dma_error_i,
  input  logic        mpc_inc_i,
  input  logic        rlec_inc_i,
  input  logic        rnbc_inc_i,
  input  logic        gprc_inc_i,
  input  logic        gptc_inc_i,
  input  logic [16:0] gorc_add_i,
  input  logic [16:0] gotc_add_i,
  output logic        quiescent_o
);

  // Word offsets (byte offset / 4).
  localparam logic [13:0] AddrCtrl   = 14'(16'h0000 >> 2);
  localparam logic [13:0] AddrStatus = 14'(16'h0008 >> 2);
  localparam logic [13:0] AddrIcr    = 14'(16'h00C0 >> 2);
  localparam logic [13:0] AddrItr    = 14'(16'h00C4 >> 2);
  localparam logic [13:0] AddrIcs    = 14'(16'h00C8 >> 2);
  localparam logic [13:0] AddrIms    = 14'(16'h00D0 >> 2);
  localparam logic [13:0] AddrImc    = 14'(16'h00D8 >> 2);
  localparam logic [13:0] AddrRctl   = 14'(16'h0100 >> 2);
  localparam logic [13:0] AddrTctl   = 14'(16'h0400 >> 2);
  localparam logic [13:0] AddrRdbal  = 14'(16'h2800 >> 2);
  localparam logic [13:0] AddrRdbah  = 14'(16'h2804 >> 2);
  localparam logic [13:0] AddrRdlen  = 14'(16'h2808 >> 2);
  localparam logic [13:0] AddrRdh    = 14'(16'h2810 >> 2);
  localparam logic [13:0] AddrRdt    = 14'(16'h2818 >> 2);
  localparam logic [13:0] AddrRdtr   = 14'(16'h2820 >> 2);
  localparam logic [13:0] AddrRadv   = 14'(16'h282C >> 2);
  localparam logic [13:0] AddrTdbal  = 14'(16'h3800 >> 2);
  localparam logic [13:0] AddrTdbah  = 14'(16'h3804 >> 2);
  localparam logic [13:0] AddrTdlen  = 14'(16'h3808 >> 2);
  localparam logic [13:0] AddrTdh    = 14'(16'h3810 >> 2);
  localparam logic [13:0] AddrTdt    = 14'(16'h3818 >> 2);
  localparam logic [13:0] AddrMpc    = 14'(16'h4010 >> 2);
  localparam logic [13:0] AddrRlec   = 14'(16'h4040 >> 2);
  localparam logic [13:0] AddrGprc   = 14'(16'h4074 >> 2);
  localparam logic [13:0] AddrGptc   = 14'(16'h4080 >> 2);
  localparam logic [13:0] AddrGorcl  = 14'(16'h4088 >> 2);
  localparam logic [13:0] AddrGotcl  = 14'(16'h4090 >> 2);
  localparam logic [13:0] AddrRnbc   = 14'(16'h40A0 >> 2);
  localparam logic [13:0] AddrRal0   = 14'(16'h5400 >> 2);
  localparam logic [13:0] AddrRah0   = 14'(16'h5404 >> 2);

  localparam int unsigned CtrlRst     = 26;
  localparam int unsigned RdtrFpd     = 31;
  localparam logic [7:0]  CausesImpl  = 8'b1101_0111;  // RXT0 RXO RXDMT0 LSC TXQE TXDW
  localparam logic [31:0] RctlImpl    = 32'h0403_83C2;  // SECRC BSIZE BAM RDMTS LBM EN
  localparam logic [31:0] TctlImpl    = 32'h0000_000A;  // PSP EN

  // Statistics, index into stat_q.
  localparam int unsigned StatMpc   = 0;
  localparam int unsigned StatRlec  = 1;
  localparam int unsigned StatRnbc  = 2;
  localparam int unsigned StatGprc  = 3;
  localparam int unsigned StatGptc  = 4;
  localparam int unsigned StatGorc  = 5;
  localparam int unsigned StatGotc  = 6;
  localparam int unsigned NumStats  = 7;

  // Every flop of the register file, so that the asynchronous reset and CTRL.RST clear the
  // one list (both to 0: every reset value of the map is 0; STATUS.LU is a constant).
  typedef struct packed {
    logic [31:0]            ctrl, rctl, tctl, rdba, rdbah, tdba, tdbah, ral, rah;
    logic [19:0]            rdlen, tdlen;
    logic [15:0]            rdh, rdt, tdh, tdt, itr, rdtr, radv;
    logic [7:0]             icr, ims;
    logic [1:0]             dma_error;
    logic [NumStats*32-1:0] stat;
  } regs_t;

  regs_t q;
  logic [7:0]  icr_d, ims_d;
  logic [NumStats*32-1:0] stat_d;
  // The names irqlab_cosim_top.sv reads hierarchically (waves, counters); the outputs and
  // the statistics logic use them too.
  logic [7:0]  icr_q, ims_q;
  logic [15:0] rdh_q, rdt_q, tdh_q, tdt_q;
  logic [NumStats*32-1:0] stat_q;
  assign icr_q  = q.icr;
  assign ims_q  = q.ims;
  assign rdh_q  = q.rdh;
  assign rdt_q  = q.rdt;
  assign tdh_q  = q.tdh;
  assign tdt_q  = q.tdt;
  assign stat_q = q.stat;
  logic [NumStats*32-1:0] stat_add;
  logic [NumStats-1:0]    stat_read;

  logic        aligned, rd, wr;
  logic [13:0] word;

  assign aligned = (reg_addr_i[1:0] == 2'b00);
  assign word    = reg_addr_i[15:2];
  assign rd      = reg_req_i & !reg_we_i & aligned;
  assign wr      = reg_req_i & reg_we_i & aligned;

  assign soft_rst_o = wr && (word == AddrCtrl) && reg_wdata_i[CtrlRst];
  assign fpd_o      = wr && (word == AddrRdtr) && reg_wdata_i[RdtrFpd];

  // Read mux and decode. Unknown offsets read 0 with an error.
  always_comb begin
    reg_rdata_o = '0;
    reg_error_o = !aligned;
    stat_read   = '0;
    unique case (word)
      AddrCtrl:   reg_rdata_o = q.ctrl;
      AddrStatus: reg_rdata_o = {14'h0, q.dma_error, 14'h0, 2'b10};
      AddrIcr:    reg_rdata_o = {24'h0, q.icr};
      AddrItr:    reg_rdata_o = {16'h0, q.itr};
      AddrIcs:    reg_rdata_o = '0;
      AddrIms:    reg_rdata_o = {24'h0, q.ims};
      AddrImc:    reg_rdata_o = '0;
      AddrRctl:   reg_rdata_o = q.rctl;
      AddrTctl:   reg_rdata_o = q.tctl;
      AddrRdbal:  reg_rdata_o = q.rdba;
      AddrRdbah:  reg_rdata_o = q.rdbah;
      AddrRdlen:  reg_rdata_o = {12'h0, q.rdlen};
      AddrRdh:    reg_rdata_o = {16'h0, q.rdh};
      AddrRdt:    reg_rdata_o = {16'h0, q.rdt};
      AddrRdtr:   reg_rdata_o = {16'h0, q.rdtr};
      AddrRadv:   reg_rdata_o = {16'h0, q.radv};
      AddrTdbal:  reg_rdata_o = q.tdba;
      AddrTdbah:  reg_rdata_o = q.tdbah;
      AddrTdlen:  reg_rdata_o = {12'h0, q.tdlen};
      AddrTdh:    reg_rdata_o = {16'h0, q.tdh};
      AddrTdt:    reg_rdata_o = {16'h0, q.tdt};
      AddrMpc:    begin reg_rdata_o = stat_q[StatMpc*32 +: 32];  stat_read[StatMpc]  = rd; end
      AddrRlec:   begin reg_rdata_o = stat_q[StatRlec*32 +: 32]; stat_read[StatRlec] = rd; end
      AddrRnbc:   begin reg_rdata_o = stat_q[StatRnbc*32 +: 32]; stat_read[StatRnbc] = rd; end
      AddrGprc:   begin reg_rdata_o = stat_q[StatGprc*32 +: 32]; stat_read[StatGprc] = rd; end
      AddrGptc:   begin reg_rdata_o = stat_q[StatGptc*32 +: 32]; stat_read[StatGptc] = rd; end
      AddrGorcl:  begin reg_rdata_o = stat_q[StatGorc*32 +: 32]; stat_read[StatGorc] = rd; end
      AddrGotcl:  begin reg_rdata_o = stat_q[StatGotc*32 +: 32]; stat_read[StatGotc] = rd; end
      AddrRal0:   reg_rdata_o = q.ral;
      AddrRah0:   reg_rdata_o = q.rah;
      default:    reg_error_o = 1'b1;
    endcase
    if (reg_error_o) begin
      reg_rdata_o = '0;
    end
  end

  // ICR and IMS: a hardware cause (or ICS) set wins over a clear in the same cycle.
  always_comb begin
    logic [7:0] clr, set;
    clr = '0;
    set = cause_set_i;
    if (rd && word == AddrIcr) clr = '1;
    if (wr && word == AddrIcr) clr = reg_wdata_i[7:0];
    if (wr && word == AddrIcs) set = set | reg_wdata_i[7:0];
    icr_d = ((q.icr & ~clr) | set) & CausesImpl;
    ims_d = q.ims;
    if (wr && word == AddrIms) ims_d = q.ims | (reg_wdata_i[7:0] & CausesImpl);
    if (wr && word == AddrImc) ims_d = q.ims & ~reg_wdata_i[7:0];
  end

  // Statistics: clear on read, then saturating add.
  assign stat_add = {15'h0, gotc_add_i, 15'h0, gorc_add_i, 31'h0, gptc_inc_i, 31'h0, gprc_inc_i,
                     31'h0, rnbc_inc_i, 31'h0, rlec_inc_i, 31'h0, mpc_inc_i};

  always_comb begin
    for (int unsigned i = 0; i < NumStats; i++) begin
      logic [32:0] sum;
      sum = {1'b0, stat_read[i] ? 32'h0 : stat_q[i*32 +: 32]} + {1'b0, stat_add[i*32 +: 32]};
      stat_d[i*32 +: 32] = sum[32] ? 32'hFFFF_FFFF : sum[31:0];
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      q <= '0;
    end else if (soft_rst_o) begin
      q <= '0;
    end else begin
      q.icr       <= icr_d;
      q.ims       <= ims_d;
      q.stat      <= stat_d;
      q.dma_error <= q.dma_error | {tx_dma_error_i, rx_dma_error_i};
      if (rdh_we_i) q.rdh <= rdh_wdata_i;
      if (tdh_we_i) q.tdh <= tdh_wdata_i;
      if (wr) begin
        unique case (word)
          AddrCtrl:  q.ctrl  <= reg_wdata_i & ~(32'h1 << CtrlRst);
          AddrItr:   q.itr   <= reg_wdata_i[15:0];
          AddrRctl:  q.rctl  <= reg_wdata_i & RctlImpl;
          AddrTctl:  q.tctl  <= reg_wdata_i & TctlImpl;
          AddrRdbal: q.rdba  <= {reg_wdata_i[31:4], 4'h0};
          AddrRdbah: q.rdbah <= reg_wdata_i;
          AddrRdlen: q.rdlen <= reg_wdata_i[19:0];
          AddrRdh:   q.rdh   <= reg_wdata_i[15:0];
          AddrRdt:   q.rdt   <= reg_wdata_i[15:0];
          AddrRdtr:  q.rdtr  <= reg_wdata_i[15:0];
          AddrRadv:  q.radv  <= reg_wdata_i[15:0];
          AddrTdbal: q.tdba  <= {reg_wdata_i[31:4], 4'h0};
          AddrTdbah: q.tdbah <= reg_wdata_i;
          AddrTdlen: q.tdlen <= reg_wdata_i[19:0];
          AddrTdh:   q.tdh   <= reg_wdata_i[15:0];
          AddrTdt:   q.tdt   <= reg_wdata_i[15:0];
          AddrRal0:  q.ral   <= reg_wdata_i;
          AddrRah0:  q.rah   <= reg_wdata_i & 32'h8000_FFFF;
          default: ;
        endcase
      end
    end
  end

  assign rx_en_o         = q.rctl[1];
  assign rx_lbm_o        = q.rctl[7:6];
  assign rx_rdmts_o      = q.rctl[9:8];
  assign rx_bam_o        = q.rctl[15];
  assign rx_bsize_o      = q.rctl[17:16];
  assign rx_secrc_o      = q.rctl[26];
  assign tx_en_o         = q.tctl[1];
  assign tx_psp_o        = q.tctl[3];
  assign rdba_o          = q.rdba;
  assign rdlen_o         = q.rdlen;
  assign rdh_o           = rdh_q;
  assign rdt_o           = rdt_q;
  assign tdba_o          = q.tdba;
  assign tdlen_o         = q.tdlen;
  assign tdh_o           = tdh_q;
  assign tdt_o           = tdt_q;
  assign itr_o           = q.itr;
  assign rdtr_o          = q.rdtr;
  assign radv_o          = q.radv;
  assign station_addr_o  = {q.rah[15:0], q.ral};
  assign station_valid_o = q.rah[31];
  assign icr_o           = icr_q;
  assign ims_o           = ims_q;

  assign quiescent_o = !reg_req_i;

  // RDBAH/TDBAH are stored for software; the 32-bit DMA does not use them.
  logic unused_high_bases;
  assign unused_high_bases = ^{q.rdbah, q.tdbah};

endmodule
