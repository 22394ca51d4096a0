// nic: e1000-subset network interface (Intel 8254x register model, the subset of
// docs/rtl.md "NIC"): legacy RX and TX descriptor rings in main memory reached through a
// TL-UL subset DMA master, an RX FIFO of RxFifoBytes bytes, a 32-bit MAC stream in and
// out, interrupt causes in ICR with ITR/RDTR/RADV moderation, drop and traffic counters.
//
// Blocks, one concern each:
//   nic_regs         register file (ICR/IMS semantics, statistics, CTRL.RST)
//   nic_rx_fifo      store-and-forward RX FIFO, receive filter, drop decisions (MPC, RLEC)
//   nic_rx_dma       RX descriptor fetch, buffer write, write-back, RDH, RNBC, RXDMT0
//   nic_tx_dma       TX descriptor fetch, buffer read, stream out with FCS, write-back
//   nic_dma_arbiter  the one DMA master port, one transaction outstanding
//   nic_moderation   RXT0 from RDTR/RADV, intr_o throttled by ITR
// Receive: the MAC stream (or, in MAC loopback RCTL.LBM = 01, the TX stream; the MAC input
// is then ignored) enters the FIFO; frames arriving while RCTL.EN is 0 are ignored (not
// counted: MPC does not count while the receiver is disabled). mac_rx_ready_o is always 1.
// Cycle contract of the receive path, frame last beat in cycle L, a_ready high and each
// DMA response `lat` cycles after its A handshake: the frame is committed at edge L+1, the
// RX engine asks in cycle L+2, and each of its W+3 transactions (descriptor fetch, one Put
// per stored word, length and status Puts) takes 2 + lat cycles, so the write-back
// completes in cycle L + 1 + (W+3)(2+lat) (tests/rtl/nic_test.cpp measures it; docs/rtl.md
// has the figures for 64 and 1518-byte frames). An ICR cause is visible the cycle after
// its event, intr_o the cycle after that.
// Soft reset: CTRL.RST resets every block at the edge of the write (registers to their
// reset values, FIFO empty, engines idle); only what is on a wire is finished (a DMA
// transaction awaits its response, a TX beat stays until taken, a received frame is
// ignored to its end).
// Quiescence: quiescent_o is high when no block changes a flop at the next edge other than
// the moderation timers' accumulators: no register access, no beat in, nothing for the
// engines to do, no moderation timer started, stopped or expiring. A running ITR, RDTR or
// RADV interval is free-running counting with a law (nic_interval_timer.sv): quiescent
// until its expiry, which the co-simulation computes (cosim/rtl/nic_interval_law.h) and
// jumps to, as it does to the timer's compare match. "Quiescent until" is therefore the
// earliest expiry of the three timers (each read from u_moderation.u_{itr,rdtr,radv}:
// running_q, interval, elapsed_q), or never when none runs.
module nic #(
  parameter int unsigned RxFifoBytes = 8192  // RX FIFO depth in bytes, power of 2, >= 2048
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  // static configuration strap: the clock period in ps
  input  logic [23:0] clk_period_ps_i,
  // register port (offset inside the 64 KiB window)
  input  logic        reg_req_i,
  input  logic        reg_we_i,
  input  logic [15:0] reg_addr_i,
  input  logic [31:0] reg_wdata_i,
  output logic [31:0] reg_rdata_o,
  output logic        reg_error_o,
  // DMA master: TL-UL subset host, one transaction outstanding
  output logic        dma_a_valid_o,
  input  logic        dma_a_ready_i,
  output logic [2:0]  dma_a_opcode_o,
  output logic [31:0] dma_a_address_o,
  output logic [3:0]  dma_a_mask_o,
  output logic [31:0] dma_a_data_o,
  input  logic        dma_d_valid_i,
  output logic        dma_d_ready_o,
  input  logic [31:0] dma_d_data_i,
  input  logic        dma_d_error_i,
  // MAC receive stream (FCS included)
  input  logic        mac_rx_valid_i,
  output logic        mac_rx_ready_o,
  input  logic [31:0] mac_rx_data_i,
  input  logic [3:0]  mac_rx_keep_i,
  input  logic        mac_rx_last_i,
  // MAC transmit stream
  output logic        mac_tx_valid_o,
  input  logic        mac_tx_ready_i,
  output logic [31:0] mac_tx_data_o,
  output logic [3:0]  mac_tx_keep_o,
  output logic        mac_tx_last_o,
  output logic        intr_o,
  output logic        rx_drop_o,
  output logic        rx_drop_cause_o,
  output logic        quiescent_o
);

  localparam int unsigned IndexW = $clog2(RxFifoBytes / 4);

  // Configuration and registers.
  logic        soft_rst, rx_en, rx_bam, rx_secrc, tx_en, tx_psp, fpd, station_valid;
  logic [1:0]  rx_lbm, rx_rdmts, rx_bsize;
  logic [31:0] rdba, tdba;
  logic [19:0] rdlen, tdlen;
  logic [15:0] rdh, rdt, tdh, tdt, itr, rdtr, radv;
  logic [47:0] station_addr;
  logic [7:0]  icr, ims, cause_set;
  logic        loopback;

  // Events.
  logic        rdh_we, tdh_we, rx_dma_error, tx_dma_error;
  logic [15:0] rdh_wdata, tdh_wdata;
  logic        mpc, rxo, rlec, rnbc, rxdmt0, gprc, gptc, rxt0, txdw, txqe, frame_done;
  logic [11:0] gorc_add;
  logic [16:0] gotc_add;

  // RX stream into the FIFO, FIFO to the RX engine.
  logic              rx_valid, rx_last;
  logic [31:0]       rx_data;
  logic [3:0]        rx_keep;
  logic              frame_valid, frame_pop;
  logic [11:0]       frame_len, frame_wire_len;
  logic [IndexW-1:0] rd_index;
  logic [31:0]       rd_data;
  logic [IndexW:0]   rx_fifo_level_words;  // for the waves

  // TX stream.
  logic        lb_valid, tx_last;
  logic [31:0] tx_data;
  logic [3:0]  tx_keep;

  // DMA clients: 0 = RX, 1 = TX.
  logic [1:0]  dma_req, dma_we, dma_done;
  logic [63:0] dma_addr, dma_wdata;
  logic [31:0] dma_rdata;
  logic        dma_error;

  logic regs_quiescent, fifo_quiescent, rx_dma_quiescent, tx_dma_quiescent;
  logic arb_quiescent, mod_quiescent;

  nic_regs u_regs (
    .clk_i           (clk_i),
    .rst_ni          (rst_ni),
    .reg_req_i       (reg_req_i),
    .reg_we_i        (reg_we_i),
    .reg_addr_i      (reg_addr_i),
    .reg_wdata_i     (reg_wdata_i),
    .reg_rdata_o     (reg_rdata_o),
    .reg_error_o     (reg_error_o),
    .soft_rst_o      (soft_rst),
    .rx_en_o         (rx_en),
    .rx_lbm_o        (rx_lbm),
    .rx_rdmts_o      (rx_rdmts),
    .rx_bam_o        (rx_bam),
    .rx_bsize_o      (rx_bsize),
    .rx_secrc_o      (rx_secrc),
    .tx_en_o         (tx_en),
    .tx_psp_o        (tx_psp),
    .rdba_o          (rdba),
    .rdlen_o         (rdlen),
    .rdh_o           (rdh),
    .rdt_o           (rdt),
    .tdba_o          (tdba),
    .tdlen_o         (tdlen),
    .tdh_o           (tdh),
    .tdt_o           (tdt),
    .itr_o           (itr),
    .rdtr_o          (rdtr),
    .radv_o          (radv),
    .fpd_o           (fpd),
    .station_addr_o  (station_addr),
    .station_valid_o (station_valid),
    .icr_o           (icr),
    .ims_o           (ims),
    .rdh_we_i        (rdh_we),
    .rdh_wdata_i     (rdh_wdata),
    .tdh_we_i        (tdh_we),
    .tdh_wdata_i     (tdh_wdata),
    .cause_set_i     (cause_set),
    .rx_dma_error_i  (rx_dma_error),
    .tx_dma_error_i  (tx_dma_error),
    .mpc_inc_i       (mpc),
    .rlec_inc_i      (rlec),
    .rnbc_inc_i      (rnbc),
    .gprc_inc_i      (gprc),
    .gptc_inc_i      (gptc),
    .gorc_add_i      (17'(gorc_add)),
    .gotc_add_i      (gotc_add),
    .quiescent_o     (regs_quiescent)
  );

  // ICR bits: TXDW 0, TXQE 1, LSC 2 (software only), RXDMT0 4, RXO 6, RXT0 7.
  assign cause_set = {rxt0, rxo, 1'b0, rxdmt0, 2'b00, txqe, txdw};

  // MAC loopback: the TX beats go to the RX path; the wire input is ignored.
  assign loopback = (rx_lbm == 2'b01);
  assign rx_valid = loopback ? lb_valid : mac_rx_valid_i;
  assign rx_data  = loopback ? tx_data  : mac_rx_data_i;
  assign rx_keep  = loopback ? tx_keep  : mac_rx_keep_i;
  assign rx_last  = loopback ? tx_last  : mac_rx_last_i;
  assign mac_rx_ready_o = 1'b1;

  nic_rx_fifo #(
    .RxFifoBytes (RxFifoBytes)
  ) u_rx_fifo (
    .clk_i            (clk_i),
    .rst_ni           (rst_ni),
    .clear_i          (soft_rst),
    .rx_en_i          (rx_en),
    .bam_i            (rx_bam),
    .bsize_i          (rx_bsize),
    .secrc_i          (rx_secrc),
    .station_addr_i   (station_addr),
    .station_valid_i  (station_valid),
    .in_valid_i       (rx_valid),
    .in_data_i        (rx_data),
    .in_keep_i        (rx_keep),
    .in_last_i        (rx_last),
    .mpc_o            (mpc),
    .rxo_o            (rxo),
    .rlec_o           (rlec),
    .rx_drop_o        (rx_drop_o),
    .rx_drop_cause_o  (rx_drop_cause_o),
    .frame_valid_o    (frame_valid),
    .frame_len_o      (frame_len),
    .frame_wire_len_o (frame_wire_len),
    .rd_index_i       (rd_index),
    .rd_data_o        (rd_data),
    .frame_pop_i      (frame_pop),
    .level_words_o    (rx_fifo_level_words),
    .quiescent_o      (fifo_quiescent)
  );

  nic_rx_dma #(
    .RxFifoBytes (RxFifoBytes)
  ) u_rx_dma (
    .clk_i            (clk_i),
    .rst_ni           (rst_ni),
    .clear_i          (soft_rst),
    .rdba_i           (rdba),
    .rdlen_i          (rdlen),
    .rdh_i            (rdh),
    .rdt_i            (rdt),
    .rdmts_i          (rx_rdmts),
    .rdh_we_o         (rdh_we),
    .rdh_wdata_o      (rdh_wdata),
    .frame_valid_i    (frame_valid),
    .frame_len_i      (frame_len),
    .frame_wire_len_i (frame_wire_len),
    .rd_index_o       (rd_index),
    .rd_data_i        (rd_data),
    .frame_pop_o      (frame_pop),
    .dma_req_o        (dma_req[0]),
    .dma_we_o         (dma_we[0]),
    .dma_addr_o       (dma_addr[31:0]),
    .dma_wdata_o      (dma_wdata[31:0]),
    .dma_done_i       (dma_done[0]),
    .dma_rdata_i      (dma_rdata),
    .dma_error_i      (dma_error),
    .frame_done_o     (frame_done),
    .rnbc_o           (rnbc),
    .rxdmt0_o         (rxdmt0),
    .gprc_o           (gprc),
    .gorc_add_o       (gorc_add),
    .rx_dma_error_o   (rx_dma_error),
    .quiescent_o      (rx_dma_quiescent)
  );

  nic_tx_dma u_tx_dma (
    .clk_i          (clk_i),
    .rst_ni         (rst_ni),
    .clear_i        (soft_rst),
    .tx_en_i        (tx_en),
    .psp_i          (tx_psp),
    .loopback_i     (loopback),
    .tdba_i         (tdba),
    .tdlen_i        (tdlen),
    .tdh_i          (tdh),
    .tdt_i          (tdt),
    .tdh_we_o       (tdh_we),
    .tdh_wdata_o    (tdh_wdata),
    .dma_req_o      (dma_req[1]),
    .dma_we_o       (dma_we[1]),
    .dma_addr_o     (dma_addr[63:32]),
    .dma_wdata_o    (dma_wdata[63:32]),
    .dma_done_i     (dma_done[1]),
    .dma_rdata_i    (dma_rdata),
    .dma_error_i    (dma_error),
    .mac_tx_valid_o (mac_tx_valid_o),
    .mac_tx_ready_i (mac_tx_ready_i),
    .lb_valid_o     (lb_valid),
    .out_data_o     (tx_data),
    .out_keep_o     (tx_keep),
    .out_last_o     (tx_last),
    .txdw_o         (txdw),
    .txqe_o         (txqe),
    .gptc_o         (gptc),
    .gotc_add_o     (gotc_add),
    .tx_dma_error_o (tx_dma_error),
    .quiescent_o    (tx_dma_quiescent)
  );

  assign mac_tx_data_o = tx_data;
  assign mac_tx_keep_o = tx_keep;
  assign mac_tx_last_o = tx_last;

  nic_dma_arbiter u_dma_arbiter (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .clear_i     (soft_rst),
    .req_i       (dma_req),
    .we_i        (dma_we),
    .addr_i      (dma_addr),
    .wdata_i     (dma_wdata),
    .done_o      (dma_done),
    .rdata_o     (dma_rdata),
    .error_o     (dma_error),
    .a_valid_o   (dma_a_valid_o),
    .a_ready_i   (dma_a_ready_i),
    .a_opcode_o  (dma_a_opcode_o),
    .a_address_o (dma_a_address_o),
    .a_mask_o    (dma_a_mask_o),
    .a_data_o    (dma_a_data_o),
    .d_valid_i   (dma_d_valid_i),
    .d_ready_o   (dma_d_ready_o),
    .d_data_i    (dma_d_data_i),
    .d_error_i   (dma_d_error_i),
    .quiescent_o (arb_quiescent)
  );

  nic_moderation u_moderation (
    .clk_i        (clk_i),
    .rst_ni       (rst_ni),
    .clear_i      (soft_rst),
    .period_ps_i  (clk_period_ps_i),
    .itr_i        (itr),
    .rdtr_i       (rdtr),
    .radv_i       (radv),
    .fpd_i        (fpd),
    .frame_done_i (frame_done),
    .pending_i    (|(icr & ims)),
    .rxt0_o       (rxt0),
    .intr_o       (intr_o),
    .quiescent_o  (mod_quiescent)
  );

  // The FIFO level is not used by the logic: it is there for the waves (a NIC group).
  logic unused_level;
  assign unused_level = ^rx_fifo_level_words;

  assign quiescent_o = regs_quiescent && fifo_quiescent && rx_dma_quiescent &&
                       tx_dma_quiescent && arb_quiescent && mod_quiescent;

`ifndef SYNTHESIS
  // The FIFO depth the contract allows.
  initial begin
    if (RxFifoBytes < 2048 || (RxFifoBytes & (RxFifoBytes - 1)) != 0) begin
      $fatal(1, "nic: RxFifoBytes must be a power of 2 and at least 2048");
    end
  end
  // When quiescent, the registers the driver sees and the line hold.
  QuiescentHoldsState: assert property (@(posedge clk_i) disable iff (!rst_ni)
    quiescent_o |=> $stable(icr) && $stable(rdh) && $stable(tdh) && $stable(intr_o) &&
                    $stable(dma_a_valid_o) && $stable(mac_tx_valid_o));
`endif

endmodule
