// crypto_job: the crypto engine's job ring engine: takes the descriptor at JR_HEAD, checks
// it, fetches the key, runs ChaCha20 over the data one 64-byte block at a time through the
// DMA port (crypto_dma) and writes the status back (docs/rtl.md "Crypto engine").
//
// States and the DMA transactions they wait for (one outstanding; a state that waits for a
// response issues the next transaction at the edge that retires it):
//   Idle        EN, not halted, a legal ring and JR_HEAD != JR_TAIL: issue descriptor Get 0
//   Desc        16 descriptor Gets; after the last: a bad OPCODE or LENGTH issues the status
//               Put, else key Get 0
//   Key         8 key Gets
//   BlockStart  one cycle: start the ChaCha20 core, issue the block's first source Get
//   Src         the aligned source words covering the block's bytes, kept word by word
//   Xor         wait for the keystream; load buffer = (source >> source offset ^ keystream)
//               << destination offset, issue the first destination Put
//   Dst         the aligned destination words covering the block's bytes: PutFullData, or
//               PutPartialData with the mask of the block's bytes in a partial word; after
//               the last, the next block (BlockStart) or the status Put
//   Status      the status Put (DONE, ERROR); its retirement ends the job
// Block b covers job bytes 64b .. min(64b + 64, LENGTH) - 1, with block counter COUNTER + b.
// A destination word shared by two blocks is written twice, each time with only its own
// block's bytes in the mask, so bytes outside the destination range are never written.
//
// Errors: d_error on a key, source or destination access issues the status Put with ERROR
// DMA_FAULT, then halts (HALT_ERR) with JR_HEAD on the job; on a descriptor Get or the
// status Put itself it halts at once. Every error raises the ERR event; a halt waits for
// clear_i (CTRL.SRST), which returns the engine to Idle with JR_HEAD 0 and HALT_ERR 0 at
// its edge (a transaction on the wire is finished by crypto_dma).
//
// Observation pulses, registered (one cycle each): job_start_o in the cycle the descriptor's
// first Get is presented; job_done_o in the cycle after a successful status Put retired,
// with completion_o if the job succeeded and had IRQ_ON_DONE, err_event_o with it if the job
// failed (and in the cycle after a halting descriptor or status fault).
// Cycle counts: docs/rtl.md "Crypto engine", Timing.
// Quiescence: Idle, nothing to start, no pulse pending.
module crypto_job #(
  parameter int unsigned MaxJobBytes = 16384
) (
  input  logic         clk_i,
  input  logic         rst_ni,
  input  logic         clear_i,
  // configuration and ring
  input  logic         en_i,
  input  logic [31:0]  jr_base_i,
  input  logic [10:0]  jr_size_i,
  input  logic [10:0]  jr_tail_i,
  output logic [10:0]  jr_head_o,
  output logic         busy_o,
  output logic         halt_err_o,
  // DMA requests (crypto_dma)
  output logic         req_o,
  output logic [2:0]   req_opcode_o,
  output logic [31:0]  req_address_o,
  output logic [3:0]   req_mask_o,
  output logic [31:0]  req_data_o,
  input  logic         take_i,
  input  logic         rsp_valid_i,
  input  logic [31:0]  rsp_data_i,
  input  logic         rsp_error_i,
  // ChaCha20 core
  output logic         core_start_o,
  output logic [255:0] key_o,
  output logic [95:0]  nonce_o,
  output logic [31:0]  counter_o,
  input  logic         core_ready_i,
  input  logic [511:0] keystream_i,
  // events
  output logic         job_start_o,
  output logic         job_done_o,
  output logic         completion_o,
  output logic         err_event_o,
  output logic         quiescent_o
);

  localparam logic [2:0] OpGet            = 3'd4;
  localparam logic [2:0] OpPutFullData    = 3'd0;
  localparam logic [2:0] OpPutPartialData = 3'd1;

  localparam logic [7:0] OpcodeChaCha20 = 8'd1;
  localparam logic [1:0] ErrNone      = 2'd0;
  localparam logic [1:0] ErrBadOpcode = 2'd1;
  localparam logic [1:0] ErrBadLength = 2'd2;
  localparam logic [1:0] ErrDmaFault  = 2'd3;

  localparam logic [2:0] StIdle       = 3'd0;
  localparam logic [2:0] StDesc       = 3'd1;
  localparam logic [2:0] StKey        = 3'd2;
  localparam logic [2:0] StBlockStart = 3'd3;
  localparam logic [2:0] StSrc        = 3'd4;
  localparam logic [2:0] StXor        = 3'd5;
  localparam logic [2:0] StDst        = 3'd6;
  localparam logic [2:0] StStatus     = 3'd7;

  // What a transaction issued now is for.
  localparam logic [2:0] KindDesc   = 3'd0;
  localparam logic [2:0] KindKey    = 3'd1;
  localparam logic [2:0] KindSrc    = 3'd2;
  localparam logic [2:0] KindDst    = 3'd3;
  localparam logic [2:0] KindStatus = 3'd4;

  localparam int unsigned DescWords = 16;
  localparam int unsigned KeyWords  = 8;
  localparam logic [31:0] StatusOffset = 32'h30;

  logic [2:0]   state_q, state_d;
  logic [4:0]   word_q, word_d;       // index of the awaited transaction within its state
  logic [10:0]  head_q;
  logic         halt_q;
  logic [31:0]  desc_addr_q;
  logic [7:0]   opcode_q;
  logic         irq_on_done_q;
  logic [31:0]  length_q;             // bytes from the current block to the end of the job
  logic [31:0]  src_q, dst_q;         // addresses of the current block's first byte
  logic [29:0]  key_word_addr_q;      // KEY address bits 31:2
  logic [255:0] key_q;
  logic [95:0]  nonce_q;
  logic [31:0]  counter_q;
  logic [1:0]   error_q, error_d;     // ERROR of the status Put
  logic         halting_q, halting_d; // the status Put reports a DMA fault: halt after it
  logic [543:0] buf_q;                // source words of the block, then the output words
  logic         job_start_q, job_done_q, completion_q, err_event_q;

  // Events of this cycle, decided by the state machine below.
  logic issue, start_job, core_start, xor_load, block_advance, head_advance, halt_set;
  logic job_done, completion, err_event;
  logic [2:0] issue_kind;
  logic [4:0] issue_index;

  // The ring slot at the head, and whether the ring may be worked on.
  logic [31:0] slot_addr;
  logic        ring_legal, can_start;
  assign slot_addr  = jr_base_i + {15'h0, head_q, 6'h0};
  assign ring_legal = (jr_size_i != 11'd0) && (jr_size_i <= 11'd1024) &&
                      (head_q < jr_size_i) && (jr_tail_i < jr_size_i);
  assign can_start  = en_i && !halt_q && ring_legal && (head_q != jr_tail_i) && !clear_i;

  // Geometry of the current block.
  logic [6:0]  block_bytes;   // 1..64
  logic [1:0]  src_off, dst_off;
  logic [4:0]  src_words, dst_words;
  logic        last_block;
  assign block_bytes = (length_q >= 32'd64) ? 7'd64 : length_q[6:0];
  assign src_off     = src_q[1:0];
  assign dst_off     = dst_q[1:0];
  assign src_words   = 5'((7'(src_off) + block_bytes + 7'd3) >> 2);
  assign dst_words   = 5'((7'(dst_off) + block_bytes + 7'd3) >> 2);
  assign last_block  = (length_q <= 32'd64);

  // The descriptor check, on the stored CTL and LENGTH.
  logic [1:0] check_error;
  always_comb begin
    if (opcode_q != OpcodeChaCha20) begin
      check_error = ErrBadOpcode;
    end else if (length_q == 32'd0 || length_q > 32'(MaxJobBytes)) begin
      check_error = ErrBadLength;
    end else begin
      check_error = ErrNone;
    end
  end

  // Output bytes of the block, placed at the destination's byte lanes.
  logic [511:0] plain, cipher;
  logic [543:0] placed;
  assign plain  = 512'(buf_q >> {src_off, 3'b000});
  assign cipher = plain ^ keystream_i;
  assign placed = {32'h0, cipher} << {dst_off, 3'b000};

  // The state machine: next state and the transaction to issue at the coming edge.
  always_comb begin
    state_d       = state_q;
    word_d        = word_q;
    error_d       = error_q;
    halting_d     = halting_q;
    issue         = 1'b0;
    issue_kind    = KindDesc;
    issue_index   = '0;
    start_job     = 1'b0;
    core_start    = 1'b0;
    xor_load      = 1'b0;
    block_advance = 1'b0;
    head_advance  = 1'b0;
    halt_set      = 1'b0;
    job_done      = 1'b0;
    completion    = 1'b0;
    err_event     = 1'b0;
    unique case (state_q)
      StIdle: begin
        if (can_start && take_i) begin
          issue     = 1'b1;
          start_job = 1'b1;
          error_d   = ErrNone;
          halting_d = 1'b0;
          state_d   = StDesc;
          word_d    = '0;
        end
      end
      StDesc: begin
        if (rsp_valid_i) begin
          if (rsp_error_i) begin
            halt_set  = 1'b1;
            err_event = 1'b1;
            state_d   = StIdle;
          end else if (word_q == 5'(DescWords - 1)) begin
            issue = 1'b1;
            if (check_error != ErrNone) begin
              error_d    = check_error;
              issue_kind = KindStatus;
              state_d    = StStatus;
            end else begin
              issue_kind = KindKey;
              state_d    = StKey;
              word_d     = '0;
            end
          end else begin
            issue       = 1'b1;
            issue_index = word_q + 5'd1;
            word_d      = word_q + 5'd1;
          end
        end
      end
      StKey, StSrc, StDst: begin
        if (rsp_valid_i && rsp_error_i) begin
          issue      = 1'b1;
          issue_kind = KindStatus;
          error_d    = ErrDmaFault;
          halting_d  = 1'b1;
          state_d    = StStatus;
        end else if (rsp_valid_i) begin
          if (state_q == StKey && word_q == 5'(KeyWords - 1)) begin
            state_d = StBlockStart;
          end else if (state_q == StSrc && word_q == src_words - 5'd1) begin
            state_d = StXor;
          end else if (state_q == StDst && word_q == dst_words - 5'd1) begin
            if (last_block) begin
              issue      = 1'b1;
              issue_kind = KindStatus;
              state_d    = StStatus;
            end else begin
              block_advance = 1'b1;
              state_d       = StBlockStart;
            end
          end else begin
            issue       = 1'b1;
            issue_kind  = (state_q == StKey) ? KindKey : (state_q == StSrc) ? KindSrc : KindDst;
            issue_index = word_q + 5'd1;
            word_d      = word_q + 5'd1;
          end
        end
      end
      StBlockStart: begin
        if (take_i) begin
          core_start = 1'b1;
          issue      = 1'b1;
          issue_kind = KindSrc;
          state_d    = StSrc;
          word_d     = '0;
        end
      end
      StXor: begin
        if (core_ready_i && take_i) begin
          xor_load   = 1'b1;
          issue      = 1'b1;
          issue_kind = KindDst;
          state_d    = StDst;
          word_d     = '0;
        end
      end
      StStatus: begin
        if (rsp_valid_i) begin
          state_d = StIdle;
          if (rsp_error_i || halting_q) begin
            halt_set  = 1'b1;
            err_event = 1'b1;
            job_done  = !rsp_error_i;
          end else begin
            job_done     = 1'b1;
            head_advance = 1'b1;
            err_event    = (error_q != ErrNone);
            completion   = (error_q == ErrNone) && irq_on_done_q;
          end
        end
      end
      default: state_d = StIdle;
    endcase
  end

  // The transaction issued now.
  logic [31:0] word_offset;
  logic [3:0]  dst_mask;
  assign word_offset = {25'h0, issue_index, 2'b00};
  // Lane l of destination word k holds block byte 4k + l - (destination offset).
  for (genvar l = 0; l < 4; l++) begin : g_lane
    logic [6:0] lane_pos;
    assign lane_pos    = {issue_index, 2'(l)};
    assign dst_mask[l] = (lane_pos >= 7'(dst_off)) && (lane_pos < 7'(dst_off) + block_bytes);
  end

  always_comb begin
    req_opcode_o  = OpGet;
    req_mask_o    = 4'hF;
    req_data_o    = '0;
    req_address_o = '0;
    unique case (issue_kind)
      KindDesc: req_address_o = ((state_q == StIdle) ? slot_addr : desc_addr_q) + word_offset;
      KindKey:  req_address_o = {key_word_addr_q, 2'b00} + word_offset;
      KindSrc:  req_address_o = {src_q[31:2], 2'b00} + word_offset;
      KindDst: begin
        req_address_o = {dst_q[31:2], 2'b00} + word_offset;
        req_mask_o    = dst_mask;
        req_opcode_o  = (dst_mask == 4'hF) ? OpPutFullData : OpPutPartialData;
        req_data_o    = xor_load ? placed[31:0] : buf_q[32*issue_index +: 32];
      end
      KindStatus: begin
        req_address_o = desc_addr_q + StatusOffset;
        req_opcode_o  = OpPutFullData;
        req_data_o    = {16'h0, 6'h0, error_d, 8'h01};
      end
      default: ;
    endcase
  end
  assign req_o = issue;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q         <= StIdle;
      word_q          <= '0;
      head_q          <= '0;
      halt_q          <= 1'b0;
      desc_addr_q     <= '0;
      opcode_q        <= '0;
      irq_on_done_q   <= 1'b0;
      length_q        <= '0;
      src_q           <= '0;
      dst_q           <= '0;
      key_word_addr_q <= '0;
      key_q           <= '0;
      nonce_q         <= '0;
      counter_q       <= '0;
      error_q         <= ErrNone;
      halting_q       <= 1'b0;
      buf_q           <= '0;
      job_start_q     <= 1'b0;
      job_done_q      <= 1'b0;
      completion_q    <= 1'b0;
      err_event_q     <= 1'b0;
    end else if (clear_i) begin
      state_q      <= StIdle;
      head_q       <= '0;
      halt_q       <= 1'b0;
      job_start_q  <= 1'b0;
      job_done_q   <= 1'b0;
      completion_q <= 1'b0;
      err_event_q  <= 1'b0;
    end else begin
      state_q      <= state_d;
      word_q       <= word_d;
      error_q      <= error_d;
      halting_q    <= halting_d;
      job_start_q  <= start_job;
      job_done_q   <= job_done;
      completion_q <= completion;
      err_event_q  <= err_event;
      if (start_job) begin
        desc_addr_q <= slot_addr;
      end
      if (halt_set) begin
        halt_q <= 1'b1;
      end
      if (head_advance) begin
        head_q <= (12'(head_q) + 12'd1 >= 12'(jr_size_i)) ? 11'd0 : head_q + 11'd1;
      end
      // Descriptor, key and source words as they arrive.
      if (rsp_valid_i && !rsp_error_i) begin
        if (state_q == StDesc) begin
          unique case (word_q)
            5'd0:    {irq_on_done_q, opcode_q} <= rsp_data_i[8:0];
            5'd1:    length_q        <= rsp_data_i;
            5'd2:    src_q           <= rsp_data_i;
            5'd4:    dst_q           <= rsp_data_i;
            5'd6:    key_word_addr_q <= rsp_data_i[31:2];
            5'd8:    nonce_q[31:0]   <= rsp_data_i;
            5'd9:    nonce_q[63:32]  <= rsp_data_i;
            5'd10:   nonce_q[95:64]  <= rsp_data_i;
            5'd11:   counter_q       <= rsp_data_i;
            default: ;  // high address words, STATUS, reserved, COOKIE: not used
          endcase
        end
        if (state_q == StKey) begin
          key_q[32*word_q[2:0] +: 32] <= rsp_data_i;
        end
        if (state_q == StSrc) begin
          buf_q[32*word_q +: 32] <= rsp_data_i;
        end
      end
      if (xor_load) begin
        buf_q <= placed;
      end
      if (block_advance) begin
        length_q  <= length_q - 32'd64;
        src_q     <= src_q + 32'd64;
        dst_q     <= dst_q + 32'd64;
        counter_q <= counter_q + 32'd1;
      end
    end
  end

  assign jr_head_o    = head_q;
  assign busy_o       = (state_q != StIdle);
  assign halt_err_o   = halt_q;
  assign core_start_o = core_start;
  assign key_o        = key_q;
  assign nonce_o      = nonce_q;
  assign counter_o    = counter_q;
  assign job_start_o  = job_start_q;
  assign job_done_o   = job_done_q;
  assign completion_o = completion_q;
  assign err_event_o  = err_event_q;
  assign quiescent_o  = (state_q == StIdle) && !(can_start && take_i) && !job_start_q &&
                        !job_done_q && !completion_q && !err_event_q;

`ifndef SYNTHESIS
  initial begin
    if (MaxJobBytes < 1 || MaxJobBytes > 32'h7FFF_FFFF) begin
      $fatal(1, "crypto_job: MaxJobBytes must be 1..2^31-1");
    end
  end
  // One transaction outstanding: a transaction is issued only when the port can take it,
  // and a response arrives only in a state that waits for one.
  IssueOnlyWhenTaken: assert property (@(posedge clk_i) disable iff (!rst_ni)
    issue |-> take_i);
  ResponseOnlyWhenAwaited: assert property (@(posedge clk_i) disable iff (!rst_ni)
    rsp_valid_i |-> state_q != StIdle && state_q != StBlockStart && state_q != StXor);
  // The head stays inside the ring it was started in.
  HeadWithinSizeAtStart: assert property (@(posedge clk_i) disable iff (!rst_ni)
    start_job |-> head_q < jr_size_i && jr_size_i <= 11'd1024);
  HeadWithinSizeAfterAdvance: assert property (@(posedge clk_i) disable iff (!rst_ni)
    head_advance && !clear_i |=> head_q < $past(jr_size_i));
  // Words of a block stay inside the block's span and buffer.
  SourceWordInBlock: assert property (@(posedge clk_i) disable iff (!rst_ni)
    state_q == StSrc |-> word_q < src_words && src_words <= 5'd17);
  DestinationWordInBlock: assert property (@(posedge clk_i) disable iff (!rst_ni)
    state_q == StDst |-> word_q < dst_words && dst_words <= 5'd17);
  BlockNotEmpty: assert property (@(posedge clk_i) disable iff (!rst_ni)
    state_q == StBlockStart || state_q == StSrc || state_q == StXor || state_q == StDst
      |-> length_q != 32'd0);
  // A destination Put never writes a byte outside the block.
  PutMaskNotEmpty: assert property (@(posedge clk_i) disable iff (!rst_ni)
    issue && issue_kind == KindDst |-> dst_mask != 4'h0);
  // A halted engine stays idle until the soft reset.
  HaltedStaysIdle: assert property (@(posedge clk_i) disable iff (!rst_ni)
    halt_q && !clear_i |=> state_q == StIdle && halt_q);
  // Quiescent: no flop of the engine changes at the next edge.
  QuiescentHoldsState: assert property (@(posedge clk_i) disable iff (!rst_ni)
    quiescent_o && !clear_i |=>
      $stable(state_q) && $stable(word_q) && $stable(head_q) && $stable(halt_q) &&
      $stable(desc_addr_q) && $stable(opcode_q) && $stable(irq_on_done_q) &&
      $stable(length_q) && $stable(src_q) && $stable(dst_q) && $stable(key_word_addr_q) &&
      $stable(key_q) && $stable(nonce_q) && $stable(counter_q) && $stable(error_q) &&
      $stable(halting_q) && $stable(buf_q) && !job_start_q && !job_done_q &&
      !completion_q && !err_event_q);
`endif

endmodule
