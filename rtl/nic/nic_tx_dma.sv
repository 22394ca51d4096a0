// nic_tx_dma: the NIC's transmit DMA engine and MAC transmit stream.
//
// Ring (legacy 16-byte descriptors at TDBAL + 16 * i): legal when TDLEN is a multiple of
// 128 in 128..4096 and TDH and TDT lie inside it, otherwise treated as empty. While
// TCTL.EN and TDH != TDT, per descriptor (each step one DMA transaction):
//   1. Get TDBAL + 16*TDH + 0   buffer address bits 31:0 (bits 1:0 ignored)
//   2. Get TDBAL + 16*TDH + 8   length (15:0), CSO (23:16), CMD (31:24: EOP 0, IFCS 1,
//                               RS 3); each descriptor carries a whole frame (EOP is
//                               assumed), CSO/CSS are not used (no checksum offload)
//   3. Get buffer + 4*i          per word, each word sent as one beat before the next Get
//      TCTL.PSP: a frame shorter than 60 bytes is padded with zero bytes to 60 (the
//      padding costs no DMA). CMD.IFCS: the Ethernet FCS (nic_crc32) follows the data,
//      packed right after its last byte. Length 0 without padding sends nothing.
//   4. when the last beat has left: if CMD.RS, Put TDBAL + 16*TDH + 12 = 0x1 (STA.DD; the
//      CSS and special bytes of that word are written 0). Then, in the cycle it completes
//      (tx_done_o): TDH advances (wrapping), GPTC++ and GOTC += the bytes on the wire (FCS
//      included) if a frame was sent, ICR.TXDW if RS, ICR.TXQE if TDH reached TDT.
// Stream (out_*): one beat register; a beat is loaded when it is empty, so a beat whose
// ready is high leaves the cycle after it is loaded. In MAC loopback (loopback_i) the
// beats go to the RX path (lb_*), which is always ready, and mac_tx_valid_o stays 0.
// DMA error: the engine stops (tx_dma_error_o pulse: STATUS.TXDMAERR) until the soft reset;
// TDH does not move. A frame cut by an error or a soft reset is still ended on the stream:
// the beat waiting is marked last, or, when none waits, a one-byte zero beat is sent as the
// last one (that frame's FCS does not check). The beat register is not cleared by the soft
// reset (a beat presented stays until taken).
// Quiescence: nothing to send (TCTL.EN low, ring empty or illegal, or stopped) and no beat
// waiting: no flop changes.
module nic_tx_dma (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        clear_i,
  // configuration and ring registers
  input  logic        tx_en_i,
  input  logic        psp_i,
  input  logic        loopback_i,
  input  logic [31:0] tdba_i,
  input  logic [19:0] tdlen_i,
  input  logic [15:0] tdh_i,
  input  logic [15:0] tdt_i,
  output logic        tdh_we_o,
  output logic [15:0] tdh_wdata_o,
  // DMA client
  output logic        dma_req_o,
  output logic        dma_we_o,
  output logic [31:0] dma_addr_o,
  output logic [31:0] dma_wdata_o,
  input  logic        dma_done_i,
  input  logic [31:0] dma_rdata_i,
  input  logic        dma_error_i,
  // MAC transmit stream
  output logic        mac_tx_valid_o,
  input  logic        mac_tx_ready_i,
  // loopback into the RX path
  output logic        lb_valid_o,
  // beat payload (both destinations)
  output logic [31:0] out_data_o,
  output logic [3:0]  out_keep_o,
  output logic        out_last_o,
  // events (pulses)
  output logic        txdw_o,
  output logic        txqe_o,
  output logic        gptc_o,
  output logic [16:0] gotc_add_o,
  output logic        tx_dma_error_o,
  output logic        quiescent_o
);

  localparam logic [3:0] StIdle      = 4'd0;
  localparam logic [3:0] StFetchAddr = 4'd1;
  localparam logic [3:0] StFetchCmd  = 4'd2;
  localparam logic [3:0] StRead      = 4'd3;
  localparam logic [3:0] StEmit      = 4'd4;
  localparam logic [3:0] StFcs       = 4'd5;
  localparam logic [3:0] StDrain     = 4'd6;
  localparam logic [3:0] StWb        = 4'd7;
  localparam logic [3:0] StStopped   = 4'd8;

  localparam int unsigned CmdIfcs = 1;
  localparam int unsigned CmdRs   = 3;
  localparam logic [15:0] MinFrame = 16'd60;  // without FCS

  logic [3:0]  state_q;
  logic [31:0] buffer_q, word_q, crc_q;
  logic [15:0] len_q, padded_q;
  logic [7:0]  cmd_q;
  logic [13:0] index_q;     // word of the frame
  logic [31:0] fcs_beat_q;  // second half of the FCS-packed pair
  logic [3:0]  fcs_keep_q;

  // Beat register.
  logic        out_valid_q, out_last_q, open_q;
  logic [31:0] out_data_q;
  logic [3:0]  out_keep_q;
  logic        beat_taken, load;
  logic [31:0] load_data;
  logic [3:0]  load_keep;
  logic        load_last;

  logic [8:0]  count;
  logic        ring_legal, work;
  logic [31:0] desc_addr, byte_offset;
  logic [15:0] next_head, padded, remaining, from_buffer;
  logic [2:0]  beat_bytes, buffer_bytes;
  logic [31:0] word_masked, crc_next, fcs;
  logic [63:0] packed_pair;
  logic        last_data, abort, tx_done;

  assign count      = (tdlen_i[6:0] == 7'd0 && tdlen_i >= 20'd128 && tdlen_i <= 20'd4096) ?
                      9'(tdlen_i >> 4) : 9'd0;
  assign ring_legal = (count != 9'd0) && (tdh_i < 16'(count)) && (tdt_i < 16'(count));
  assign work       = tx_en_i && ring_legal && (tdh_i != tdt_i);
  assign desc_addr  = tdba_i + {12'h0, tdh_i, 4'h0};
  assign next_head  = (tdh_i + 16'd1 == 16'(count)) ? 16'd0 : tdh_i + 16'd1;

  // The word being sent: its bytes on the wire and those that come from the buffer.
  assign byte_offset  = {16'h0, index_q, 2'b00};
  assign remaining    = padded_q - byte_offset[15:0];
  assign beat_bytes   = (remaining >= 16'd4) ? 3'd4 : remaining[2:0];
  assign from_buffer  = (len_q > byte_offset[15:0]) ? len_q - byte_offset[15:0] : 16'd0;
  assign buffer_bytes = (from_buffer >= 16'd4) ? 3'd4 : from_buffer[2:0];
  assign last_data    = (remaining <= 16'd4);

  always_comb begin
    word_masked = '0;
    for (int unsigned b = 0; b < 4; b++) begin
      if (3'(b) < buffer_bytes) begin
        word_masked[8*b +: 8] = word_q[8*b +: 8];
      end
    end
  end

  nic_crc32 u_crc (
    .crc_i    (crc_q),
    .data_i   (word_masked),
    .nbytes_i (beat_bytes),
    .crc_o    (crc_next)
  );

  assign fcs         = ~crc_next;
  assign packed_pair = {32'h0, word_masked} | ({32'h0, fcs} << {beat_bytes, 3'b000});

  // keep of a beat of `bytes` bytes (Yosys 0.23: no `return`, no cast in a function).
  function automatic logic [3:0] keep_of(logic [2:0] bytes);
    unique case (bytes)
      3'd1:    keep_of = 4'b0001;
      3'd2:    keep_of = 4'b0011;
      3'd3:    keep_of = 4'b0111;
      3'd4:    keep_of = 4'b1111;
      default: keep_of = 4'b0000;
    endcase
  endfunction

  // DMA requests.
  always_comb begin
    dma_req_o   = 1'b0;
    dma_we_o    = 1'b0;
    dma_addr_o  = desc_addr;
    dma_wdata_o = '0;
    unique case (state_q)
      StFetchAddr: dma_req_o = 1'b1;
      StFetchCmd: begin
        dma_req_o  = 1'b1;
        dma_addr_o = desc_addr + 32'd8;
      end
      StRead: begin
        dma_req_o  = (buffer_bytes != 3'd0);
        dma_addr_o = buffer_q + byte_offset;
      end
      StWb: begin
        dma_req_o   = 1'b1;
        dma_we_o    = 1'b1;
        dma_addr_o  = desc_addr + 32'd12;
        dma_wdata_o = 32'h0000_0001;  // STA.DD
      end
      default: ;
    endcase
  end

  // Beats loaded by the engine (only into an empty register).
  always_comb begin
    load      = 1'b0;
    load_data = word_masked;
    load_keep = keep_of(beat_bytes);
    load_last = last_data;
    if (!out_valid_q) begin
      if (state_q == StEmit) begin
        load = 1'b1;
        if (last_data && cmd_q[CmdIfcs]) begin
          load_data = packed_pair[31:0];
          load_keep = 4'hF;
          load_last = 1'b0;
        end
      end else if (state_q == StFcs) begin
        load      = 1'b1;
        load_data = fcs_beat_q;
        load_keep = fcs_keep_q;
        load_last = 1'b1;
      end
    end
  end

  // The length on the wire (before the FCS) of the descriptor being fetched.
  assign padded  = (psp_i && dma_rdata_i[15:0] < MinFrame) ? MinFrame : dma_rdata_i[15:0];
  assign tx_done = ((state_q == StDrain) && !out_valid_q && !cmd_q[CmdRs]) ||
                   ((state_q == StWb) && dma_done_i && !dma_error_i);
  assign abort   = clear_i || (dma_done_i && dma_error_i);

  assign tdh_we_o       = tx_done;
  assign tdh_wdata_o    = next_head;
  assign txdw_o         = tx_done && cmd_q[CmdRs];
  assign txqe_o         = tx_done && (next_head == tdt_i);
  assign gptc_o         = tx_done && (padded_q != 16'd0);
  assign gotc_add_o     = (tx_done && padded_q != 16'd0) ?
                          17'(padded_q) + (cmd_q[CmdIfcs] ? 17'd4 : 17'd0) : 17'd0;
  assign tx_dma_error_o = dma_done_i && dma_error_i;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q    <= StIdle;
      buffer_q   <= '0;
      word_q     <= '0;
      crc_q      <= '1;
      len_q      <= '0;
      padded_q   <= '0;
      cmd_q      <= '0;
      index_q    <= '0;
      fcs_beat_q <= '0;
      fcs_keep_q <= '0;
    end else if (clear_i) begin
      state_q    <= StIdle;
      buffer_q   <= '0;
      word_q     <= '0;
      crc_q      <= '1;
      len_q      <= '0;
      padded_q   <= '0;
      cmd_q      <= '0;
      index_q    <= '0;
      fcs_beat_q <= '0;
      fcs_keep_q <= '0;
    end else if (dma_done_i && dma_error_i) begin
      state_q <= StStopped;
    end else begin
      unique case (state_q)
        StIdle: begin
          if (work) begin
            state_q <= StFetchAddr;
          end
        end
        StFetchAddr: begin
          if (dma_done_i) begin
            buffer_q <= {dma_rdata_i[31:2], 2'b00};
            state_q  <= StFetchCmd;
          end
        end
        StFetchCmd: begin
          if (dma_done_i) begin
            len_q    <= dma_rdata_i[15:0];
            padded_q <= padded;
            cmd_q    <= dma_rdata_i[31:24];
            index_q <= '0;
            crc_q   <= '1;
            state_q <= StRead;
          end
        end
        StRead: begin
          if (padded_q == 16'd0) begin
            state_q <= StDrain;
          end else if (buffer_bytes == 3'd0) begin
            word_q  <= '0;
            state_q <= StEmit;
          end else if (dma_done_i) begin
            word_q  <= dma_rdata_i;
            state_q <= StEmit;
          end
        end
        StEmit: begin
          if (load) begin
            crc_q <= crc_next;
            if (last_data) begin
              fcs_beat_q <= packed_pair[63:32];
              fcs_keep_q <= keep_of(beat_bytes);
              state_q    <= cmd_q[CmdIfcs] ? StFcs : StDrain;
            end else begin
              index_q <= index_q + 1'b1;
              state_q <= StRead;
            end
          end
        end
        StFcs: begin
          if (load) begin
            state_q <= StDrain;
          end
        end
        StDrain: begin
          if (!out_valid_q) begin
            state_q <= cmd_q[CmdRs] ? StWb : StIdle;
          end
        end
        StWb: begin
          if (dma_done_i) begin
            state_q <= StIdle;
          end
        end
        StStopped: ;
        default: state_q <= StIdle;
      endcase
    end
  end

  // Beat register: survives the soft reset; an abort ends the frame on the stream.
  assign beat_taken = out_valid_q && (loopback_i || mac_tx_ready_i);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      out_valid_q <= 1'b0;
      out_data_q  <= '0;
      out_keep_q  <= '0;
      out_last_q  <= 1'b0;
      open_q      <= 1'b0;
    end else begin
      if (beat_taken) begin
        open_q <= !out_last_q;
      end
      if (abort) begin
        if (out_valid_q && !beat_taken) begin
          out_last_q <= 1'b1;
        end else if ((out_valid_q && !out_last_q) || (!out_valid_q && open_q)) begin
          out_valid_q <= 1'b1;
          out_data_q  <= '0;
          out_keep_q  <= 4'h1;
          out_last_q  <= 1'b1;
        end else if (beat_taken) begin
          out_valid_q <= 1'b0;
        end
      end else if (load) begin
        out_valid_q <= 1'b1;
        out_data_q  <= load_data;
        out_keep_q  <= load_keep;
        out_last_q  <= load_last;
      end else if (beat_taken) begin
        out_valid_q <= 1'b0;
      end
    end
  end

  assign mac_tx_valid_o = out_valid_q && !loopback_i;
  assign lb_valid_o     = out_valid_q && loopback_i;
  assign out_data_o     = out_data_q;
  assign out_keep_o     = out_keep_q;
  assign out_last_o     = out_last_q;

  assign quiescent_o = !clear_i && !out_valid_q &&
                       (((state_q == StIdle) && !work) || (state_q == StStopped));

`ifndef SYNTHESIS
  // A descriptor is taken only when the hardware owns one.
  TakesOnlyOwnedDescriptors: assert property (@(posedge clk_i) disable iff (!rst_ni)
    (state_q == StFetchAddr) && $past(state_q == StIdle) |-> $past(work));
  HeadInsideRing: assert property (@(posedge clk_i) disable iff (!rst_ni)
    tdh_we_o |-> tdh_wdata_o < 16'(count));
  // A beat is only loaded into an empty register, and a presented beat holds until taken.
  LoadIntoEmpty: assert property (@(posedge clk_i) disable iff (!rst_ni)
    load |-> !out_valid_q);
  BeatHeld: assert property (@(posedge clk_i) disable iff (!rst_ni)
    out_valid_q && !beat_taken |=> out_valid_q && $stable(out_data_q) && $stable(out_keep_q));
  QuiescentHoldsState: assert property (@(posedge clk_i) disable iff (!rst_ni)
    quiescent_o |=> $stable(state_q) && $stable(out_valid_q) && $stable(open_q));
`endif

endmodule
