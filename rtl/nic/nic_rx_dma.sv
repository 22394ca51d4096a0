// nic_rx_dma: the NIC's receive DMA engine: moves the oldest frame of the RX FIFO into
// the buffer of the descriptor at RDH and writes the descriptor back.
//
// Ring (legacy 16-byte descriptors at RDBAL + 16 * i): legal when RDLEN is a multiple of
// 128 in 128..4096 (8..256 descriptors) and RDH and RDT lie inside it; otherwise the ring
// is treated as empty. The hardware owns descriptors RDH .. RDT-1; RDH == RDT: none free.
// Per frame, each step one DMA transaction (nic_dma_arbiter):
//   1. Get  RDBAL + 16*RDH + 0     buffer address, bits 31:0 (bits 1:0 ignored; the high
//                                  word at +4 is not read: the DMA is 32-bit)
//   2. Put  buffer + 4*i           for each word of the stored frame (whole words: the
//                                  bytes past the length in the last word are the FIFO's)
//   3. Put  RDBAL + 16*RDH + 8     length (bits 15:0), checksum 0
//   4. Put  RDBAL + 16*RDH + 12    status DD | EOP (0x03), errors 0, special 0
//   then, in the cycle of the last response (frame_done_o): RDH advances (wrapping), the
//   FIFO frees the frame, GPRC++ and GORC += its wire length (FCS included), and RXDMT0
//   when the free descriptors (RDT - RDH mod count) have fallen to the RCTL.RDMTS
//   threshold (1/2, 1/4, 1/8 of the ring; 11 counts as 1/8).
// A frame that finds no free descriptor waits in the FIFO (later frames queue behind it)
// and counts once in RNBC (rnbc_o in the first cycle it waits); it goes on when software
// advances RDT.
// DMA error (a response with d_error): the engine stops where it is (rx_dma_error_o pulse:
// STATUS.RXDMAERR) and does nothing more until the soft reset (CTRL.RST); the frame is not
// written back and stays in the FIFO, RDH does not move, so nothing is delivered twice.
// Quiescence: idle with nothing to do (no frame, or a frame waiting for a descriptor and
// already counted), or stopped: no flop changes.
module nic_rx_dma #(
  parameter int unsigned RxFifoBytes = 8192
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        clear_i,
  // configuration and ring registers
  input  logic [31:0] rdba_i,
  input  logic [19:0] rdlen_i,
  input  logic [15:0] rdh_i,
  input  logic [15:0] rdt_i,
  input  logic [1:0]  rdmts_i,
  output logic        rdh_we_o,
  output logic [15:0] rdh_wdata_o,
  // the RX FIFO
  input  logic        frame_valid_i,
  input  logic [11:0] frame_len_i,
  input  logic [11:0] frame_wire_len_i,
  output logic [$clog2(RxFifoBytes/4)-1:0] rd_index_o,
  input  logic [31:0] rd_data_i,
  output logic        frame_pop_o,
  // DMA client
  output logic        dma_req_o,
  output logic        dma_we_o,
  output logic [31:0] dma_addr_o,
  output logic [31:0] dma_wdata_o,
  input  logic        dma_done_i,
  input  logic [31:0] dma_rdata_i,
  input  logic        dma_error_i,
  // events (pulses)
  output logic        frame_done_o,
  output logic        rnbc_o,
  output logic        rxdmt0_o,
  output logic        gprc_o,
  output logic [11:0] gorc_add_o,
  output logic        rx_dma_error_o,
  output logic        quiescent_o
);

  localparam int unsigned IndexW = $clog2(RxFifoBytes / 4);

  localparam logic [2:0] StIdle    = 3'd0;
  localparam logic [2:0] StFetch   = 3'd1;
  localparam logic [2:0] StData    = 3'd2;
  localparam logic [2:0] StWbLen   = 3'd3;
  localparam logic [2:0] StWbSta   = 3'd4;
  localparam logic [2:0] StStopped = 3'd5;

  logic [2:0]        state_q;
  logic [31:0]       buffer_q;
  logic [IndexW-1:0] index_q;
  logic              waited_q;  // the frame at the head of the FIFO counted in RNBC

  logic [8:0]  count;      // descriptors in the ring (0: illegal)
  logic        ring_legal, desc_free, last_word;
  logic [31:0] desc_addr;
  logic [15:0] next_head;
  logic [8:0]  free_after, threshold;
  logic [IndexW:0] frame_words;

  assign count      = (rdlen_i[6:0] == 7'd0 && rdlen_i >= 20'd128 && rdlen_i <= 20'd4096) ?
                      9'(rdlen_i >> 4) : 9'd0;
  assign ring_legal = (count != 9'd0) && (rdh_i < 16'(count)) && (rdt_i < 16'(count));
  assign desc_free  = ring_legal && (rdh_i != rdt_i);
  assign desc_addr  = rdba_i + {12'h0, rdh_i, 4'h0};
  assign next_head  = (rdh_i + 16'd1 == 16'(count)) ? 16'd0 : rdh_i + 16'd1;
  assign free_after = (rdt_i >= next_head) ? 9'(rdt_i - next_head) :
                                             9'(rdt_i + 16'(count) - next_head);
  assign threshold  = count >> ((rdmts_i == 2'b11) ? 2'd3 : rdmts_i + 2'd1);
  assign frame_words = (IndexW+1)'((frame_len_i + 12'd3) >> 2);
  assign last_word   = ((IndexW+1)'(index_q) + 1'b1 == frame_words);

  // The DMA request of the current step.
  always_comb begin
    dma_req_o   = 1'b0;
    dma_we_o    = 1'b0;
    dma_addr_o  = desc_addr;
    dma_wdata_o = '0;
    unique case (state_q)
      StFetch: begin
        dma_req_o = 1'b1;
      end
      StData: begin
        dma_req_o   = 1'b1;
        dma_we_o    = 1'b1;
        dma_addr_o  = buffer_q + {18'h0, index_q, 2'b00};
        dma_wdata_o = rd_data_i;
      end
      StWbLen: begin
        dma_req_o   = 1'b1;
        dma_we_o    = 1'b1;
        dma_addr_o  = desc_addr + 32'd8;
        dma_wdata_o = {20'h0, frame_len_i};
      end
      StWbSta: begin
        dma_req_o   = 1'b1;
        dma_we_o    = 1'b1;
        dma_addr_o  = desc_addr + 32'd12;
        dma_wdata_o = 32'h0000_0003;  // DD | EOP
      end
      default: ;
    endcase
  end

  assign rd_index_o     = index_q;
  assign frame_done_o   = (state_q == StWbSta) && dma_done_i && !dma_error_i;
  assign frame_pop_o    = frame_done_o;
  assign rdh_we_o       = frame_done_o;
  assign rdh_wdata_o    = next_head;
  assign gprc_o         = frame_done_o;
  assign gorc_add_o     = frame_done_o ? frame_wire_len_i : 12'd0;
  assign rxdmt0_o       = frame_done_o && (free_after == threshold);
  assign rnbc_o         = (state_q == StIdle) && frame_valid_i && !desc_free && !waited_q;
  assign rx_dma_error_o = dma_done_i && dma_error_i;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q  <= StIdle;
      buffer_q <= '0;
      index_q  <= '0;
      waited_q <= 1'b0;
    end else if (clear_i) begin
      state_q  <= StIdle;
      buffer_q <= '0;
      index_q  <= '0;
      waited_q <= 1'b0;
    end else begin
      if (rnbc_o) begin
        waited_q <= 1'b1;
      end
      if (dma_done_i && dma_error_i) begin
        state_q <= StStopped;
      end else begin
        unique case (state_q)
          StIdle: begin
            if (frame_valid_i && desc_free) begin
              state_q <= StFetch;
            end
          end
          StFetch: begin
            if (dma_done_i) begin
              buffer_q <= {dma_rdata_i[31:2], 2'b00};
              index_q  <= '0;
              state_q  <= StData;
            end
          end
          StData: begin
            if (dma_done_i) begin
              index_q <= index_q + 1'b1;
              if (last_word) begin
                state_q <= StWbLen;
              end
            end
          end
          StWbLen: begin
            if (dma_done_i) begin
              state_q <= StWbSta;
            end
          end
          StWbSta: begin
            if (dma_done_i) begin
              state_q  <= StIdle;
              waited_q <= 1'b0;
            end
          end
          StStopped: ;
          default: state_q <= StIdle;
        endcase
      end
    end
  end

  // The buffer address is word-aligned: its low bits are not used.
  logic unused_rdata_low;
  assign unused_rdata_low = ^dma_rdata_i[1:0];

  assign quiescent_o = !clear_i &&
                       (((state_q == StIdle) && (!frame_valid_i || (!desc_free && waited_q))) ||
                        (state_q == StStopped));

`ifndef SYNTHESIS
  // A descriptor is taken only when the hardware owns one: RDH never passes RDT.
  TakesOnlyFreeDescriptors: assert property (@(posedge clk_i) disable iff (!rst_ni)
    (state_q == StFetch) && $past(state_q == StIdle) |-> $past(desc_free));
  // The head stays inside the ring.
  HeadInsideRing: assert property (@(posedge clk_i) disable iff (!rst_ni)
    rdh_we_o |-> rdh_wdata_o < 16'(count));
  // A frame being moved is in the FIFO, and no more words are read than it has.
  FrameThere: assert property (@(posedge clk_i) disable iff (!rst_ni)
    (state_q != StIdle) && (state_q != StStopped) |-> frame_valid_i);
  IndexInsideFrame: assert property (@(posedge clk_i) disable iff (!rst_ni)
    (state_q == StData) |-> (IndexW+1)'(index_q) < frame_words);
  QuiescentHoldsState: assert property (@(posedge clk_i) disable iff (!rst_ni)
    quiescent_o |=> $stable(state_q) && $stable(waited_q) && $stable(index_q));
`endif

endmodule
