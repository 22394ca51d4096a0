// crypto_chacha20_core: the ChaCha20 block function of RFC 8439 §2.3, one round per cycle
// with four quarter-round units (columns in even rounds, diagonals in odd ones).
//
// State words (RFC 8439 §2.3): 0..3 the constants "expand 32-byte k", 4..11 the key
// (key_i[32w +: 32] = key word w, key bytes 4w..4w+3 little-endian), 12 the block counter,
// 13..15 the nonce (nonce_i[32w +: 32] = state word 13+w).
// keystream_o[32w +: 32] is serialized state word w, so keystream byte i is
// keystream_o[8i +: 8], the order in which RFC 8439 serializes the block.
//
// Timing: start_i in cycle s loads the initial state at edge s+1 (the end of cycle s);
// the 20 rounds take edges s+2 .. s+21, ready_o is high from cycle s+21 on, and keystream_o
// (working state + initial state, combinational) is valid while ready_o is high and the
// inputs hold. The caller holds key_i, nonce_i and counter_i from the start until it has
// used the keystream. clear_i stops a running computation (ready_o then rises, the
// keystream is meaningless until the next start).
// Quiescence: busy_o low means no flop changes at the next edge unless start_i is high.
module crypto_chacha20_core (
  input  logic         clk_i,
  input  logic         rst_ni,
  input  logic         clear_i,
  input  logic         start_i,
  input  logic [255:0] key_i,
  input  logic [95:0]  nonce_i,
  input  logic [31:0]  counter_i,
  output logic         ready_o,
  output logic         busy_o,
  output logic [511:0] keystream_o
);

  localparam int unsigned Rounds = 20;

  logic [511:0] init_state;
  logic [511:0] work_q, column_out;
  logic [4:0]   round_q;   // rounds done since the start, Rounds when finished
  logic         running_q;

  assign init_state = {nonce_i, counter_i, key_i,
                       32'h6b20_6574, 32'h7962_2d32, 32'h3320_646e, 32'h6170_7865};

  // Quarter-round operand words: columns (0,4,8,12) .. (3,7,11,15) in even rounds,
  // diagonals (0,5,10,15) (1,6,11,12) (2,7,8,13) (3,4,9,14) in odd rounds.
  logic diagonal;
  assign diagonal = round_q[0];

  for (genvar q = 0; q < 4; q++) begin : g_qr
    localparam int unsigned Col = q;
    // Word indices of operand b, c, d for this unit in a diagonal round.
    localparam int unsigned DiagB = 4 + ((q + 1) % 4);
    localparam int unsigned DiagC = 8 + ((q + 2) % 4);
    localparam int unsigned DiagD = 12 + ((q + 3) % 4);
    logic [31:0] a, b, c, d, a_n, b_n, c_n, d_n;
    assign a = work_q[32*Col +: 32];
    assign b = diagonal ? work_q[32*DiagB +: 32] : work_q[32*(4 + Col) +: 32];
    assign c = diagonal ? work_q[32*DiagC +: 32] : work_q[32*(8 + Col) +: 32];
    assign d = diagonal ? work_q[32*DiagD +: 32] : work_q[32*(12 + Col) +: 32];

    crypto_chacha20_qr u_qr (
      .a_i (a),
      .b_i (b),
      .c_i (c),
      .d_i (d),
      .a_o (a_n),
      .b_o (b_n),
      .c_o (c_n),
      .d_o (d_n)
    );

    // In a column round unit q writes back its own column.
    assign column_out[32*Col +: 32]        = a_n;
    assign column_out[32*(4 + Col) +: 32]  = b_n;
    assign column_out[32*(8 + Col) +: 32]  = c_n;
    assign column_out[32*(12 + Col) +: 32] = d_n;
  end

  // In a diagonal round unit q writes b to word DiagB(q) etc.: the words of row r are
  // written by unit (Col - r) mod 4, collected here.
  logic [511:0] diag_out;
  for (genvar w = 0; w < 16; w++) begin : g_diag
    localparam int unsigned Row = w / 4;
    localparam int unsigned Unit = ((w % 4) + 4 - Row) % 4;
    if (Row == 0) begin : g_a
      assign diag_out[32*w +: 32] = g_qr[w].a_n;
    end else if (Row == 1) begin : g_b
      assign diag_out[32*w +: 32] = g_qr[Unit].b_n;
    end else if (Row == 2) begin : g_c
      assign diag_out[32*w +: 32] = g_qr[Unit].c_n;
    end else begin : g_d
      assign diag_out[32*w +: 32] = g_qr[Unit].d_n;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      work_q    <= '0;
      round_q   <= 5'(Rounds);
      running_q <= 1'b0;
    end else if (clear_i) begin
      round_q   <= 5'(Rounds);
      running_q <= 1'b0;
    end else if (start_i) begin
      work_q    <= init_state;
      round_q   <= '0;
      running_q <= 1'b1;
    end else if (running_q) begin
      work_q    <= diagonal ? diag_out : column_out;
      round_q   <= round_q + 5'd1;
      running_q <= (round_q != 5'(Rounds - 1));
    end
  end

  for (genvar w = 0; w < 16; w++) begin : g_add
    assign keystream_o[32*w +: 32] = work_q[32*w +: 32] + init_state[32*w +: 32];
  end

  assign ready_o = !running_q;
  assign busy_o  = running_q;

`ifndef SYNTHESIS
  RoundsWhileRunning: assert property (@(posedge clk_i) disable iff (!rst_ni)
    running_q |-> round_q < 5'(Rounds));
  ReadyMeansAllRounds: assert property (@(posedge clk_i) disable iff (!rst_ni)
    !running_q |-> round_q == 5'(Rounds));
`endif

endmodule
