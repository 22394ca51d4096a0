// crypto_chacha20_qr: one ChaCha20 quarter round (RFC 8439 §2.1), combinational:
//   a += b; d ^= a; d <<<= 16;  c += d; b ^= c; b <<<= 12;
//   a += b; d ^= a; d <<<= 8;   c += d; b ^= c; b <<<= 7.
// crypto_chacha20_core instantiates four of them to do one round per cycle.
module crypto_chacha20_qr (
  input  logic [31:0] a_i,
  input  logic [31:0] b_i,
  input  logic [31:0] c_i,
  input  logic [31:0] d_i,
  output logic [31:0] a_o,
  output logic [31:0] b_o,
  output logic [31:0] c_o,
  output logic [31:0] d_o
);

  logic [31:0] a1, b1, c1, d1, a2, b2, c2, d2;
  logic [31:0] d1_x, b1_x, d2_x, b2_x;

  assign a1   = a_i + b_i;
  assign d1_x = d_i ^ a1;
  assign d1   = {d1_x[15:0], d1_x[31:16]};
  assign c1   = c_i + d1;
  assign b1_x = b_i ^ c1;
  assign b1   = {b1_x[19:0], b1_x[31:20]};

  assign a2   = a1 + b1;
  assign d2_x = d1 ^ a2;
  assign d2   = {d2_x[23:0], d2_x[31:24]};
  assign c2   = c1 + d2;
  assign b2_x = b1 ^ c2;
  assign b2   = {b2_x[24:0], b2_x[31:25]};

  assign a_o = a2;
  assign b_o = b2;
  assign c_o = c2;
  assign d_o = d2;

endmodule
