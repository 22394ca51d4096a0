// nic_crc32: one step of the Ethernet CRC-32 (IEEE 802.3: reflected polynomial 0xEDB88320),
// over up to four bytes of a beat, combinational.
//
// The running value starts at 32'hFFFF_FFFF; after the last byte of a frame the FCS is its
// complement, sent least significant byte first (so the FCS bytes, read as a little-endian
// word, equal zlib's crc32 of the frame). Bytes are taken from byte 0 of data_i (bits 7:0)
// up to nbytes_i; nbytes_i = 0 leaves the value unchanged. No state: no cycle contract.
module nic_crc32 (
  input  logic [31:0] crc_i,
  input  logic [31:0] data_i,
  input  logic [2:0]  nbytes_i,
  output logic [31:0] crc_o
);

  localparam logic [31:0] Polynomial = 32'hEDB8_8320;

  always_comb begin
    crc_o = crc_i;
    for (int unsigned b = 0; b < 4; b++) begin
      if (3'(b) < nbytes_i) begin
        crc_o = crc_o ^ {24'h0, data_i[8*b +: 8]};
        for (int unsigned k = 0; k < 8; k++) begin
          crc_o = crc_o[0] ? ((crc_o >> 1) ^ Polynomial) : (crc_o >> 1);
        end
      end
    end
  end

endmodule
