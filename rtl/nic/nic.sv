// nic: e1000-subset network interface (milestone: register block only; the datapath
// follows). Port list and register map: /work/nic_contract.md §1, docs/rtl.md.
module nic #(
  parameter int unsigned RxFifoBytes = 8192  // RX FIFO depth in bytes, power of 2, >= 2048
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic [23:0] clk_period_ps_i,
  input  logic        reg_req_i,
  input  logic        reg_we_i,
  input  logic [15:0] reg_addr_i,
  input  logic [31:0] reg_wdata_i,
  output logic [31:0] reg_rdata_o,
  output logic        reg_error_o,
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
  input  logic        mac_rx_valid_i,
  output logic        mac_rx_ready_o,
  input  logic [31:0] mac_rx_data_i,
  input  logic [3:0]  mac_rx_keep_i,
  input  logic        mac_rx_last_i,
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

  logic [7:0] icr, ims;
  logic       regs_quiescent, intr_q;

  // Milestone: the datapath is not connected yet.
  /* verilator lint_off PINCONNECTEMPTY */
  nic_regs u_regs (
    .clk_i           (clk_i),
    .rst_ni          (rst_ni),
    .reg_req_i       (reg_req_i),
    .reg_we_i        (reg_we_i),
    .reg_addr_i      (reg_addr_i),
    .reg_wdata_i     (reg_wdata_i),
    .reg_rdata_o     (reg_rdata_o),
    .reg_error_o     (reg_error_o),
    .soft_rst_o      (),
    .rx_en_o         (),
    .rx_lbm_o        (),
    .rx_rdmts_o      (),
    .rx_bam_o        (),
    .rx_bsize_o      (),
    .rx_secrc_o      (),
    .tx_en_o         (),
    .tx_psp_o        (),
    .rdba_o          (),
    .rdlen_o         (),
    .rdh_o           (),
    .rdt_o           (),
    .tdba_o          (),
    .tdlen_o         (),
    .tdh_o           (),
    .tdt_o           (),
    .itr_o           (),
    .rdtr_o          (),
    .radv_o          (),
    .fpd_o           (),
    .station_addr_o  (),
    .station_valid_o (),
    .icr_o           (icr),
    .ims_o           (ims),
    .rdh_we_i        (1'b0),
    .rdh_wdata_i     ('0),
    .tdh_we_i        (1'b0),
    .tdh_wdata_i     ('0),
    .cause_set_i     ('0),
    .rx_dma_error_i  (1'b0),
    .tx_dma_error_i  (1'b0),
    .mpc_inc_i       (1'b0),
    .rlec_inc_i      (1'b0),
    .rnbc_inc_i      (1'b0),
    .gprc_inc_i      (1'b0),
    .gptc_inc_i      (1'b0),
    .gorc_add_i      ('0),
    .gotc_add_i      ('0),
    .quiescent_o     (regs_quiescent)
  );
  /* verilator lint_on PINCONNECTEMPTY */

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) intr_q <= 1'b0;
    else         intr_q <= |(icr & ims);
  end

  assign intr_o          = intr_q;
  assign dma_a_valid_o   = 1'b0;
  assign dma_a_opcode_o  = 3'd4;
  assign dma_a_address_o = '0;
  assign dma_a_mask_o    = 4'hF;
  assign dma_a_data_o    = '0;
  assign dma_d_ready_o   = 1'b1;
  assign mac_rx_ready_o  = 1'b1;
  assign mac_tx_valid_o  = 1'b0;
  assign mac_tx_data_o   = '0;
  assign mac_tx_keep_o   = '0;
  assign mac_tx_last_o   = 1'b0;
  assign rx_drop_o       = 1'b0;
  assign rx_drop_cause_o = 1'b0;
  assign quiescent_o     = regs_quiescent && (intr_q == |(icr & ims));

  logic unused_inputs;
  assign unused_inputs = ^{clk_period_ps_i, dma_a_ready_i, dma_d_valid_i, dma_d_data_i,
                           dma_d_error_i, mac_rx_valid_i, mac_rx_data_i, mac_rx_keep_i,
                           mac_rx_last_i, mac_tx_ready_i, RxFifoBytes};

endmodule
