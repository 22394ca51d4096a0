// Co-simulation wrapper of the SoC; simulation only, never synthesized.
//
// It adds what the simulator needs beside the SoC so that one Verilated model and one
// FST hold everything on one time axis:
// - kernel probes: per-hart inputs that the C++ kernel's trace stream drives (what runs,
//   in interrupt, which source's handler runs, which lock it waits for, which deferred work
//   runs) and the owners of
//   the first NumLocks kernel locks, traced next to the RTL signals;
// - plic_ip_o: the PLIC's pending bits, read hierarchically, so the simulator sees the
//   exact cycle at which each source's request entered the PLIC;
// - the NIC's registers, statistics counters and RX FIFO level (nic_icr_o ...), read
//   hierarchically: the waves show them and the simulator reads the counters at the end of
//   a run without the clear a register read would do;
// - the crypto engine's ring indices, interrupt state and halt flag (crypto_jr_head_o ...),
//   read hierarchically likewise: crypto_jr_head_o is the JR index of the job that
//   crypto_job_start_o announces.
// Stimulus and kernel probes change at the falling clock edge (mid-cycle), away from the
// active rising edge.
module irqlab_cosim_top #(
  parameter int unsigned NumHarts = 4,
  parameter int unsigned NumExt   = 16,
  parameter int unsigned NumSrc   = 32,
  parameter int unsigned NumLocks = 8
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,

  input  logic                  tl_a_valid_i,
  output logic                  tl_a_ready_o,
  input  logic [2:0]            tl_a_opcode_i,
  input  logic [31:0]           tl_a_address_i,
  input  logic [3:0]            tl_a_mask_i,
  input  logic [31:0]           tl_a_data_i,
  input  logic [7:0]            tl_a_source_i,
  output logic                  tl_d_valid_o,
  input  logic                  tl_d_ready_i,
  output logic [2:0]            tl_d_opcode_o,
  output logic [31:0]           tl_d_data_o,
  output logic                  tl_d_error_o,
  output logic [7:0]            tl_d_source_o,

  input  logic [NumExt-1:0]     ext_irq_i,
  output logic [NumHarts-1:0]   irq_o,
  output logic [NumSrc-1:0]     irq_src_o,
  output logic [NumSrc-1:0]     plic_ip_o,
  output logic                  quiescent_o,

  // The NIC's exported pins (docs/rtl.md, NIC), straight through: its clock-period strap,
  // its DMA master (serviced by the simulator's memory) and its MAC streams.
  input  logic [23:0]           nic_clk_period_ps_i,
  output logic                  nic_dma_a_valid_o,
  input  logic                  nic_dma_a_ready_i,
  output logic [2:0]            nic_dma_a_opcode_o,
  output logic [31:0]           nic_dma_a_address_o,
  output logic [3:0]            nic_dma_a_mask_o,
  output logic [31:0]           nic_dma_a_data_o,
  input  logic                  nic_dma_d_valid_i,
  output logic                  nic_dma_d_ready_o,
  input  logic [31:0]           nic_dma_d_data_i,
  input  logic                  nic_dma_d_error_i,
  input  logic                  nic_mac_rx_valid_i,
  output logic                  nic_mac_rx_ready_o,
  input  logic [31:0]           nic_mac_rx_data_i,
  input  logic [3:0]            nic_mac_rx_keep_i,
  input  logic                  nic_mac_rx_last_i,
  output logic                  nic_mac_tx_valid_o,
  input  logic                  nic_mac_tx_ready_i,
  output logic [31:0]           nic_mac_tx_data_o,
  output logic [3:0]            nic_mac_tx_keep_o,
  output logic                  nic_mac_tx_last_o,
  output logic                  nic_rx_drop_o,
  output logic                  nic_rx_drop_cause_o,

  // The NIC's state, observed (not ports of the SoC).
  output logic [7:0]            nic_icr_o,
  output logic [7:0]            nic_ims_o,
  output logic [15:0]           nic_rdh_o,
  output logic [15:0]           nic_rdt_o,
  output logic [15:0]           nic_tdh_o,
  output logic [15:0]           nic_tdt_o,
  output logic [31:0]           nic_mpc_o,
  output logic [31:0]           nic_rlec_o,
  output logic [31:0]           nic_rnbc_o,
  output logic [31:0]           nic_gprc_o,
  output logic [31:0]           nic_gptc_o,
  output logic [31:0]           nic_gorc_o,
  output logic [31:0]           nic_gotc_o,
  output logic [15:0]           nic_rx_fifo_level_o,  // RX FIFO fill, in 32-bit words

  // The crypto engine's exported pins (docs/rtl.md, Crypto engine), straight through: its
  // DMA master (serviced by the simulator's memory) and its job observation pulses.
  output logic                  crypto_dma_a_valid_o,
  input  logic                  crypto_dma_a_ready_i,
  output logic [2:0]            crypto_dma_a_opcode_o,
  output logic [31:0]           crypto_dma_a_address_o,
  output logic [3:0]            crypto_dma_a_mask_o,
  output logic [31:0]           crypto_dma_a_data_o,
  input  logic                  crypto_dma_d_valid_i,
  output logic                  crypto_dma_d_ready_o,
  input  logic [31:0]           crypto_dma_d_data_i,
  input  logic                  crypto_dma_d_error_i,
  output logic                  crypto_job_start_o,
  output logic                  crypto_job_done_o,

  // The crypto engine's state, observed (not ports of the SoC).
  output logic [10:0]           crypto_jr_head_o,
  output logic [10:0]           crypto_jr_tail_o,
  output logic [1:0]            crypto_intr_state_o,  // bit 0 DONE, bit 1 ERR
  output logic                  crypto_halt_err_o,
  output logic                  crypto_busy_o,        // STATUS.BUSY: a job in progress

  // The packed probe inputs stay out of the waves: g_hart[h].u_kernel and g_lock[l].u_lock
  // show the same values, one named signal each.
  /* verilator tracing_off */
  input  logic [2*NumHarts-1:0] kernel_activity_i,
  input  logic [NumHarts-1:0]   kernel_in_irq_i,
  input  logic [8*NumHarts-1:0] kernel_handler_i,
  input  logic [16*NumHarts-1:0] kernel_lwp_i,
  input  logic [8*NumHarts-1:0] kernel_lock_wait_i,
  input  logic [16*NumHarts-1:0] kernel_deferred_i,
  input  logic [16*NumLocks-1:0] kernel_lock_owner_i
  /* verilator tracing_on */
);

  irqlab_soc #(
    .NumHarts (NumHarts),
    .NumExt   (NumExt)
  ) u_soc (
    .clk_i          (clk_i),
    .rst_ni         (rst_ni),
    .tl_a_valid_i   (tl_a_valid_i),
    .tl_a_ready_o   (tl_a_ready_o),
    .tl_a_opcode_i  (tl_a_opcode_i),
    .tl_a_address_i (tl_a_address_i),
    .tl_a_mask_i    (tl_a_mask_i),
    .tl_a_data_i    (tl_a_data_i),
    .tl_a_source_i  (tl_a_source_i),
    .tl_d_valid_o   (tl_d_valid_o),
    .tl_d_ready_i   (tl_d_ready_i),
    .tl_d_opcode_o  (tl_d_opcode_o),
    .tl_d_data_o    (tl_d_data_o),
    .tl_d_error_o   (tl_d_error_o),
    .tl_d_source_o  (tl_d_source_o),
    .ext_irq_i      (ext_irq_i),
    .irq_o          (irq_o),
    .irq_src_o      (irq_src_o),
    .quiescent_o    (quiescent_o),
    .nic_clk_period_ps_i     (nic_clk_period_ps_i),
    .nic_dma_a_valid_o       (nic_dma_a_valid_o),
    .nic_dma_a_ready_i       (nic_dma_a_ready_i),
    .nic_dma_a_opcode_o      (nic_dma_a_opcode_o),
    .nic_dma_a_address_o     (nic_dma_a_address_o),
    .nic_dma_a_mask_o        (nic_dma_a_mask_o),
    .nic_dma_a_data_o        (nic_dma_a_data_o),
    .nic_dma_d_valid_i       (nic_dma_d_valid_i),
    .nic_dma_d_ready_o       (nic_dma_d_ready_o),
    .nic_dma_d_data_i        (nic_dma_d_data_i),
    .nic_dma_d_error_i       (nic_dma_d_error_i),
    .nic_mac_rx_valid_i      (nic_mac_rx_valid_i),
    .nic_mac_rx_ready_o      (nic_mac_rx_ready_o),
    .nic_mac_rx_data_i       (nic_mac_rx_data_i),
    .nic_mac_rx_keep_i       (nic_mac_rx_keep_i),
    .nic_mac_rx_last_i       (nic_mac_rx_last_i),
    .nic_mac_tx_valid_o      (nic_mac_tx_valid_o),
    .nic_mac_tx_ready_i      (nic_mac_tx_ready_i),
    .nic_mac_tx_data_o       (nic_mac_tx_data_o),
    .nic_mac_tx_keep_o       (nic_mac_tx_keep_o),
    .nic_mac_tx_last_o       (nic_mac_tx_last_o),
    .nic_rx_drop_o           (nic_rx_drop_o),
    .nic_rx_drop_cause_o     (nic_rx_drop_cause_o),
    .crypto_dma_a_valid_o    (crypto_dma_a_valid_o),
    .crypto_dma_a_ready_i    (crypto_dma_a_ready_i),
    .crypto_dma_a_opcode_o   (crypto_dma_a_opcode_o),
    .crypto_dma_a_address_o  (crypto_dma_a_address_o),
    .crypto_dma_a_mask_o     (crypto_dma_a_mask_o),
    .crypto_dma_a_data_o     (crypto_dma_a_data_o),
    .crypto_dma_d_valid_i    (crypto_dma_d_valid_i),
    .crypto_dma_d_ready_o    (crypto_dma_d_ready_o),
    .crypto_dma_d_data_i     (crypto_dma_d_data_i),
    .crypto_dma_d_error_i    (crypto_dma_d_error_i),
    .crypto_job_start_o      (crypto_job_start_o),
    .crypto_job_done_o       (crypto_job_done_o)
  );

  assign plic_ip_o = u_soc.u_plic.ip_q;

  assign nic_icr_o  = u_soc.u_nic.u_regs.icr_q;
  assign nic_ims_o  = u_soc.u_nic.u_regs.ims_q;
  assign nic_rdh_o  = u_soc.u_nic.u_regs.rdh_q;
  assign nic_rdt_o  = u_soc.u_nic.u_regs.rdt_q;
  assign nic_tdh_o  = u_soc.u_nic.u_regs.tdh_q;
  assign nic_tdt_o  = u_soc.u_nic.u_regs.tdt_q;
  // stat_q holds the counters in NicCounterId order (nic_regs.sv: StatMpc .. StatGotc).
  assign nic_mpc_o  = u_soc.u_nic.u_regs.stat_q[0*32 +: 32];
  assign nic_rlec_o = u_soc.u_nic.u_regs.stat_q[1*32 +: 32];
  assign nic_rnbc_o = u_soc.u_nic.u_regs.stat_q[2*32 +: 32];
  assign nic_gprc_o = u_soc.u_nic.u_regs.stat_q[3*32 +: 32];
  assign nic_gptc_o = u_soc.u_nic.u_regs.stat_q[4*32 +: 32];
  assign nic_gorc_o = u_soc.u_nic.u_regs.stat_q[5*32 +: 32];
  assign nic_gotc_o = u_soc.u_nic.u_regs.stat_q[6*32 +: 32];
  assign nic_rx_fifo_level_o = 16'(u_soc.u_nic.rx_fifo_level_words);

  assign crypto_jr_head_o    = u_soc.u_crypto.u_job.head_q;
  assign crypto_jr_tail_o    = u_soc.u_crypto.u_regs.jr_tail_q;
  assign crypto_intr_state_o = u_soc.u_crypto.u_regs.u_intr.state_q;
  assign crypto_halt_err_o   = u_soc.u_crypto.u_job.halt_q;
  assign crypto_busy_o       = u_soc.u_crypto.busy;

  for (genvar h = 0; h < NumHarts; h++) begin : g_hart
    kernel_probe u_kernel (
      .activity_i (kernel_activity_i[2*h +: 2]),
      .in_irq_i   (kernel_in_irq_i[h]),
      .handler_i  (kernel_handler_i[8*h +: 8]),
      .lwp_i      (kernel_lwp_i[16*h +: 16]),
      .lock_wait_i (kernel_lock_wait_i[8*h +: 8]),
      .deferred_i  (kernel_deferred_i[16*h +: 16])
    );
  end

  for (genvar l = 0; l < NumLocks; l++) begin : g_lock
    lock_probe u_lock (
      .owner_i (kernel_lock_owner_i[16*l +: 16])
    );
  end

endmodule
