// nic_rx_fifo: the NIC's receive FIFO: store-and-forward, with the receive filter and the
// drop decisions of the e1000 subset.
//
// Write side (the MAC stream, or the TX output in MAC loopback; never back-pressured):
// every beat of a frame is written into the data memory (RxFifoBytes / 4 words) as it
// arrives, at a write pointer ahead of the committed one. The verdict is taken in the cycle
// of the last beat (cycle L), from the whole frame:
//   - not taken: RCTL.EN was 0 at its first beat (the receiver is off), or it was cut
//     by a soft reset: ignored, not counted (MPC does not count while RX is disabled);
//   - length error: fewer than 18 bytes on the wire (a header and an FCS), or longer than
//     the buffer size (RCTL.BSIZE) after FCS stripping (RCTL.SECRC): dropped, RLEC++
//     (rlec_o), rx_drop_o with cause 1 in cycle L+1;
//   - filtered: destination neither RAL0/RAH0 (when RAH0.AV) nor broadcast with RCTL.BAM.
//     Multicast frames are filtered too: the subset has no multicast table and no
//     promiscuous modes, and the manual's filter then rejects them. Ignored, not counted
//     (the frame is not for this station);
//   - overflow: a beat found the data memory full, or the frame table is full: dropped
//     whole, MPC++ (mpc_o) and ICR.RXO (rxo_o), rx_drop_o with cause 0 in cycle L+1;
//   - otherwise accepted: the frame is committed at edge L+1 and frame_valid_o is high from
//     cycle L+1 (if it is the oldest frame).
// A dropped or ignored frame leaves nothing behind (the write pointer returns to the
// committed one). Frames are kept in order, with their stored length (frame_len_o: without
// the FCS under SECRC) and their wire length (frame_wire_len_o, FCS included).
// Read side (nic_rx_dma): rd_index_i selects word i of the oldest frame (rd_data_o,
// combinational from the memory); frame_pop_i frees the whole frame at the next edge (its
// space returns to the FIFO only then: the FIFO frees frame by frame).
// The frame table holds RxFifoBytes / 64 frames (as many minimum-size frames as fit).
// Soft reset (clear_i): the FIFO empties; a frame in progress on the wire is ignored to
// its end.
// Quiescence: no beat presented, no pop, no drop pulse pending: no flop changes.
module nic_rx_fifo #(
  parameter int unsigned RxFifoBytes = 8192
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        clear_i,
  // configuration
  input  logic        rx_en_i,
  input  logic        bam_i,
  input  logic [1:0]  bsize_i,
  input  logic        secrc_i,
  input  logic [47:0] station_addr_i,
  input  logic        station_valid_i,
  // the received stream
  input  logic        in_valid_i,
  input  logic [31:0] in_data_i,
  input  logic [3:0]  in_keep_i,
  input  logic        in_last_i,
  // drop reports (cycle L, pulses) and the observer's drop pulse (cycle L+1)
  output logic        mpc_o,
  output logic        rxo_o,
  output logic        rlec_o,
  output logic        rx_drop_o,
  output logic        rx_drop_cause_o,
  // read side
  output logic        frame_valid_o,
  output logic [11:0] frame_len_o,
  output logic [11:0] frame_wire_len_o,
  input  logic [$clog2(RxFifoBytes/4)-1:0] rd_index_i,
  output logic [31:0] rd_data_o,
  input  logic        frame_pop_i,
  output logic [$clog2(RxFifoBytes/4):0] level_words_o,
  output logic        quiescent_o
);

  localparam int unsigned Words     = RxFifoBytes / 4;
  localparam int unsigned AddrW     = $clog2(Words);
  localparam int unsigned Frames    = RxFifoBytes / 64;
  localparam int unsigned FrameW    = $clog2(Frames);
  localparam int unsigned MinWire   = 18;  // destination, source, type, FCS
  localparam int unsigned FcsBytes  = 4;

  // Data memory and the frame table (stored length, wire length per frame). Left out of
  // the waves: thousands of words, and the level (level_words_o) shows how full it is.
  /* verilator tracing_off */
  logic [31:0] mem_q [Words];
  logic [23:0] frames_q [Frames];
  /* verilator tracing_on */

  logic [AddrW:0]  wr_ptr_q, commit_ptr_q, rd_ptr_q;  // one wrap bit each
  logic [FrameW:0] fr_wr_q, fr_rd_q;
  logic [AddrW:0]  used_words;
  logic [FrameW:0] used_frames;

  // The frame being received.
  logic        in_frame_q, taken_q, overflow_q;
  logic [12:0] wire_len_q;                   // saturates above every legal length
  logic [47:0] dest_q;
  logic [1:0]  beat_q;                       // beats seen, saturating at 2
  logic        drop_q, drop_cause_q;

  logic        beat, first, taken, write_beat;
  logic [2:0]  beat_bytes;
  logic [12:0] wire_len;
  logic [47:0] dest;
  logic        overflow, length_error, addressed, commit;
  logic [12:0] limit;
  logic [11:0] stored_len;
  logic [AddrW:0] frame_words;

  assign beat  = in_valid_i;
  assign first = beat && !in_frame_q;
  assign taken = first ? rx_en_i : taken_q;

  always_comb begin
    unique case (in_keep_i)
      4'b1111: beat_bytes = 3'd4;
      4'b0111: beat_bytes = 3'd3;
      4'b0011: beat_bytes = 3'd2;
      4'b0001: beat_bytes = 3'd1;
      default: beat_bytes = 3'd0;  // not contiguous from byte 0: asserted against below
    endcase
  end

  // Frame length so far (this beat included), saturating.
  always_comb begin
    logic [13:0] sum;
    sum      = {1'b0, first ? 13'd0 : wire_len_q} + 14'(beat_bytes);
    wire_len = sum[13] ? 13'h1FFF : sum[12:0];
  end

  // Destination address: bytes 0..3 in beat 0, bytes 4..5 in beat 1.
  always_comb begin
    dest = dest_q;
    if (first) begin
      dest[31:0] = in_data_i;
    end else if (beat_q == 2'd1) begin
      dest[47:32] = in_data_i[15:0];
    end
  end

  // 2048 >> BSIZE, plus the FCS when it is kept out of the buffer.
  assign limit = (13'd2048 >> bsize_i) + (secrc_i ? 13'(FcsBytes) : 13'd0);

  assign used_words  = wr_ptr_q - rd_ptr_q;
  assign used_frames = fr_wr_q - fr_rd_q;
  // A beat is written while the frame is taken, still fits and is not already too long.
  assign write_beat  = beat && taken && !overflow_q && (wire_len <= limit) &&
                       (used_words < (AddrW+1)'(Words));
  assign overflow    = overflow_q || (beat && taken && (wire_len <= limit) &&
                                      (used_words >= (AddrW+1)'(Words))) ||
                       (used_frames >= (FrameW+1)'(Frames));

  assign length_error = (wire_len < 13'(MinWire)) || (wire_len > limit);
  assign addressed    = (station_valid_i && (dest == station_addr_i)) ||
                        (bam_i && (dest == 48'hFFFF_FFFF_FFFF));

  // Verdict in the cycle of the last beat.
  logic last_beat;
  assign last_beat = beat && in_last_i && taken;
  assign rlec_o    = last_beat && length_error;
  assign mpc_o     = last_beat && !length_error && addressed && overflow;
  assign rxo_o     = mpc_o;
  assign commit    = last_beat && !length_error && addressed && !overflow;

  assign stored_len  = secrc_i ? 12'(wire_len - 13'(FcsBytes)) : wire_len[11:0];
  assign frame_words = (AddrW+1)'((frame_wire_len_o + 12'd3) >> 2);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      in_frame_q   <= 1'b0;
      taken_q      <= 1'b0;
      overflow_q   <= 1'b0;
      wire_len_q   <= '0;
      dest_q       <= '0;
      beat_q       <= '0;
      wr_ptr_q     <= '0;
      commit_ptr_q <= '0;
      rd_ptr_q     <= '0;
      fr_wr_q      <= '0;
      fr_rd_q      <= '0;
      drop_q       <= 1'b0;
      drop_cause_q <= 1'b0;
    end else begin
      // Frame delimiting follows the wire even across a soft reset.
      if (beat) begin
        in_frame_q <= !in_last_i;
      end
      if (clear_i) begin
        taken_q      <= 1'b0;
        overflow_q   <= 1'b0;
        wr_ptr_q     <= '0;
        commit_ptr_q <= '0;
        rd_ptr_q     <= '0;
        fr_wr_q      <= '0;
        fr_rd_q      <= '0;
        drop_q       <= 1'b0;
        drop_cause_q <= 1'b0;
      end else begin
        drop_q       <= rlec_o || mpc_o;
        drop_cause_q <= rlec_o;
        if (beat) begin
          taken_q    <= taken && !in_last_i;
          overflow_q <= overflow && !in_last_i;
          wire_len_q <= wire_len;
          dest_q     <= dest;
          beat_q     <= first ? 2'd1 : ((beat_q == 2'd2) ? 2'd2 : beat_q + 2'd1);
        end
        if (write_beat) begin
          wr_ptr_q <= wr_ptr_q + 1'b1;
        end
        if (beat && in_last_i) begin
          // Committed: the frame stays; otherwise it is forgotten.
          if (commit) begin
            commit_ptr_q <= wr_ptr_q + (AddrW+1)'(write_beat);
            fr_wr_q      <= fr_wr_q + 1'b1;
          end else begin
            wr_ptr_q <= commit_ptr_q;
          end
        end
        if (frame_pop_i) begin
          rd_ptr_q <= rd_ptr_q + frame_words;
          fr_rd_q  <= fr_rd_q + 1'b1;
        end
      end
    end
  end

  // Memories: no reset (their contents are only read once written and committed).
  always_ff @(posedge clk_i) begin
    if (write_beat && !clear_i) begin
      mem_q[wr_ptr_q[AddrW-1:0]] <= in_data_i;
    end
    if (commit && !clear_i) begin
      frames_q[fr_wr_q[FrameW-1:0]] <= {stored_len, wire_len[11:0]};
    end
  end

  assign frame_valid_o    = (fr_wr_q != fr_rd_q);
  assign frame_len_o      = frames_q[fr_rd_q[FrameW-1:0]][23:12];
  assign frame_wire_len_o = frames_q[fr_rd_q[FrameW-1:0]][11:0];
  assign rd_data_o        = mem_q[AddrW'(rd_ptr_q[AddrW-1:0] + rd_index_i)];
  assign level_words_o    = used_words;
  assign rx_drop_o        = drop_q;
  assign rx_drop_cause_o  = drop_cause_q;
  assign quiescent_o      = !beat && !frame_pop_i && !drop_q && !clear_i;

`ifndef SYNTHESIS
  // Never more words or frames held than the memory and the table have.
  NoWordOverflow: assert property (@(posedge clk_i) disable iff (!rst_ni)
    (wr_ptr_q - rd_ptr_q) <= (AddrW+1)'(Words));
  NoFrameOverflow: assert property (@(posedge clk_i) disable iff (!rst_ni)
    (fr_wr_q - fr_rd_q) <= (FrameW+1)'(Frames));
  // Committed words lie between the read and the write pointer.
  CommitBetween: assert property (@(posedge clk_i) disable iff (!rst_ni)
    (commit_ptr_q - rd_ptr_q) <= (wr_ptr_q - rd_ptr_q));
  // Only a frame that is there is popped, and never more words than are committed.
  NoUnderflow: assert property (@(posedge clk_i) disable iff (!rst_ni)
    frame_pop_i |-> frame_valid_o && (frame_words <= (commit_ptr_q - rd_ptr_q)));
  // keep: contiguous from byte 0, not empty, partial only on the last beat.
  KeepContiguous: assert property (@(posedge clk_i) disable iff (!rst_ni)
    in_valid_i |-> (beat_bytes != 3'd0) && (in_last_i || in_keep_i == 4'hF));
  QuiescentHoldsState: assert property (@(posedge clk_i) disable iff (!rst_ni)
    quiescent_o |=> $stable(wr_ptr_q) && $stable(commit_ptr_q) && $stable(rd_ptr_q) &&
                    $stable(fr_wr_q) && $stable(fr_rd_q) && $stable(drop_q) &&
                    $stable(in_frame_q) && $stable(taken_q));
`endif

endmodule
