// crypto: ChaCha20 (RFC 8439) crypto engine with a job ring in memory (docs/rtl.md
// "Crypto engine"; research rtl-anchors §6.3). Software queues 64-byte descriptors in a
// ring at JR_BASE and rings the doorbell JR_TAIL; the engine fetches each descriptor and
// the key through its DMA master, encrypts (XORs the keystream into) LENGTH bytes from SRC
// to DST one 64-byte block at a time, writes the descriptor's STATUS word back and raises
// DONE (coalesced by COAL) or ERR. One level interrupt, PLIC source 6 in the SoC.
//
// Blocks, one concern each:
//   crypto_regs           register file, INTR_STATE/ENABLE/TEST (prim_intr_reg), CTRL.SRST
//   crypto_job            ring engine: descriptor, key, source, destination, status
//   prim_tlul_host        the DMA master port, one transaction outstanding (rtl/prim/)
//   crypto_chacha20_core  the block function, one round per cycle (4 crypto_chacha20_qr)
//   crypto_coalesce       DONE coalescing by count and timeout
// Soft reset (CTRL.SRST): the engine, the core and the coalescing state clear at the edge
// of the write; a DMA transaction on the wire is finished and its response discarded.
// Quiescence: quiescent_o is high when no flop changes at the next edge: no register
// access, the engine idle with nothing to start, no DMA transaction, the core stopped, no
// coalescing timer, no event pulse and the interrupt cell settled.
module crypto #(
  parameter int unsigned MaxJobBytes = 16384  // longest job; LENGTH above it: BAD_LENGTH
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  // register port (offset inside the 4 KiB window)
  input  logic        reg_req_i,
  input  logic        reg_we_i,
  input  logic [11:0] reg_addr_i,
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
  output logic        intr_o,
  // observation pulses (one cycle each)
  output logic        job_start_o,
  output logic        job_done_o,
  output logic        quiescent_o
);

  logic         en, srst, busy, halt_err;
  logic [31:0]  jr_base;
  logic [10:0]  jr_size, jr_tail, jr_head;
  logic [7:0]   coal_count;
  logic [15:0]  coal_timeout;
  logic         done_event, err_event, completion;

  logic         req, take, rsp_valid, rsp_error;
  logic [2:0]   req_opcode;
  logic [31:0]  req_address, req_data, rsp_data;
  logic [3:0]   req_mask;

  logic         core_start, core_ready, core_busy;
  logic [255:0] key;
  logic [95:0]  nonce;
  logic [31:0]  counter;
  logic [511:0] keystream;

  logic regs_quiescent, job_quiescent, dma_quiescent, coal_quiescent;

  crypto_regs u_regs (
    .clk_i          (clk_i),
    .rst_ni         (rst_ni),
    .reg_req_i      (reg_req_i),
    .reg_we_i       (reg_we_i),
    .reg_addr_i     (reg_addr_i),
    .reg_wdata_i    (reg_wdata_i),
    .reg_rdata_o    (reg_rdata_o),
    .reg_error_o    (reg_error_o),
    .en_o           (en),
    .srst_o         (srst),
    .jr_base_o      (jr_base),
    .jr_size_o      (jr_size),
    .jr_tail_o      (jr_tail),
    .coal_count_o   (coal_count),
    .coal_timeout_o (coal_timeout),
    .jr_head_i      (jr_head),
    .busy_i         (busy),
    .halt_err_i     (halt_err),
    .done_event_i   (done_event),
    .err_event_i    (err_event),
    .intr_o         (intr_o),
    .quiescent_o    (regs_quiescent)
  );

  crypto_job #(
    .MaxJobBytes (MaxJobBytes)
  ) u_job (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .clear_i       (srst),
    .en_i          (en),
    .jr_base_i     (jr_base),
    .jr_size_i     (jr_size),
    .jr_tail_i     (jr_tail),
    .jr_head_o     (jr_head),
    .busy_o        (busy),
    .halt_err_o    (halt_err),
    .req_o         (req),
    .req_opcode_o  (req_opcode),
    .req_address_o (req_address),
    .req_mask_o    (req_mask),
    .req_data_o    (req_data),
    .take_i        (take),
    .rsp_valid_i   (rsp_valid),
    .rsp_data_i    (rsp_data),
    .rsp_error_i   (rsp_error),
    .core_start_o  (core_start),
    .key_o         (key),
    .nonce_o       (nonce),
    .counter_o     (counter),
    .core_ready_i  (core_ready),
    .keystream_i   (keystream),
    .job_start_o   (job_start_o),
    .job_done_o    (job_done_o),
    .completion_o  (completion),
    .err_event_o   (err_event),
    .quiescent_o   (job_quiescent)
  );

  // The DMA master port, taking the next request at the edge that retires a response, so
  // requests follow back to back (L + 1 cycles each).
  prim_tlul_host #(
    .TakeAtRetire (1'b1)
  ) u_dma (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .clear_i       (srst),
    .req_i         (req),
    .req_opcode_i  (req_opcode),
    .req_address_i (req_address),
    .req_mask_i    (req_mask),
    .req_data_i    (req_data),
    .take_o        (take),
    .rsp_valid_o   (rsp_valid),
    .rsp_data_o    (rsp_data),
    .rsp_error_o   (rsp_error),
    .a_valid_o     (dma_a_valid_o),
    .a_ready_i     (dma_a_ready_i),
    .a_opcode_o    (dma_a_opcode_o),
    .a_address_o   (dma_a_address_o),
    .a_mask_o      (dma_a_mask_o),
    .a_data_o      (dma_a_data_o),
    .d_valid_i     (dma_d_valid_i),
    .d_ready_o     (dma_d_ready_o),
    .d_data_i      (dma_d_data_i),
    .d_error_i     (dma_d_error_i),
    .quiescent_o   (dma_quiescent)
  );

  crypto_chacha20_core u_core (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .clear_i     (srst),
    .start_i     (core_start),
    .key_i       (key),
    .nonce_i     (nonce),
    .counter_i   (counter),
    .ready_o     (core_ready),
    .busy_o      (core_busy),
    .keystream_o (keystream)
  );

  crypto_coalesce u_coalesce (
    .clk_i        (clk_i),
    .rst_ni       (rst_ni),
    .clear_i      (srst),
    .count_i      (coal_count),
    .timeout_i    (coal_timeout),
    .completion_i (completion),
    .done_o       (done_event),
    .quiescent_o  (coal_quiescent)
  );

  assign quiescent_o = regs_quiescent && job_quiescent && dma_quiescent && !core_busy &&
                       coal_quiescent;

`ifndef SYNTHESIS
  // When quiescent, what software and the bus see holds.
  QuiescentHoldsState: assert property (@(posedge clk_i) disable iff (!rst_ni)
    quiescent_o |=> $stable(jr_head) && $stable(halt_err) && $stable(intr_o) &&
                    $stable(dma_a_valid_o) && !job_start_o && !job_done_o);
`endif

endmodule
