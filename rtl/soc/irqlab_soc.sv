// irqlab_soc: SoC top for the irqlab co-simulation.
//
// One TL-UL subset device port (tl_a_* / tl_d_*, see tlul_adapter_reg for the signal set
// and its 2-cycle timing) -> tlul_adapter_reg -> address decoder -> devices:
//   u_plic   0x0C00_0000, 4 MiB   plic  (NumSrc 32, NumTarget = NumHarts, PrioW 3)
//   u_timer  0x1000_0000, 4 KiB   timer (NumHarts harts)
//   u_ipi    0x1001_0000, 4 KiB   ipi   (NumHarts lines)
//   (planned: NIC 0x1002_0000 64 KiB, crypto 0x1003_0000 4 KiB -- add a DevXxx index,
//    its base/mask in DevBase/DevMask, and connect dev_req/dev_rdata/dev_error.)
// An address outside every window returns d_error (AccessAck[Data], data 0).
//
// PLIC sources (ID: origin, trigger):
//   0: reserved (0)   1..4: timer intr_o[0..3] (level)   5: NIC (0 for now)
//   6: crypto (0 for now)   7..10: ipi ipi_o[0..3] (level)   11..15: reserved (0)
//   16..23: ext_irq_i[7:0] (level)   24..31: ext_irq_i[15:8] (edge)
// irq_src_o is the source vector exactly as the PLIC sees it (bit 0 = 0).
// Timing: source high in cycle c -> irq_o of an enabled context high in cycle c+2.
// IPI: IPI_SET[h] accepted at edge e -> ipi_o[h] (source 7+h) high in cycle e -> irq_o of
// an enabled context high in cycle e+2. IPI_CLEAR[h] at edge w drops the source in cycle w;
// a request the PLIC already latched stays pending until claimed.
// Quiescence: quiescent_o is high when the next edge changes no flop of the SoC other than
// the timer's free-running counters (each block's header says what its quiescent_o means).
// Supports NumHarts <= 4 and NumExt <= 16 (fixed source assignment).
module irqlab_soc #(
  parameter int unsigned NumHarts = 4,
  parameter int unsigned NumExt   = 16
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  // TL-UL subset device port, A channel
  input  logic                tl_a_valid_i,
  output logic                tl_a_ready_o,
  input  logic [2:0]          tl_a_opcode_i,
  input  logic [31:0]         tl_a_address_i,
  input  logic [3:0]          tl_a_mask_i,
  input  logic [31:0]         tl_a_data_i,
  input  logic [7:0]          tl_a_source_i,
  // TL-UL subset device port, D channel
  output logic                tl_d_valid_o,
  input  logic                tl_d_ready_i,
  output logic [2:0]          tl_d_opcode_o,
  output logic [31:0]         tl_d_data_o,
  output logic                tl_d_error_o,
  output logic [7:0]          tl_d_source_o,
  // Interrupts
  input  logic [NumExt-1:0]   ext_irq_i,
  output logic [NumHarts-1:0] irq_o,
  output logic [31:0]         irq_src_o,
  output logic                quiescent_o
);

  localparam int unsigned NumSrc = 32;
  localparam int unsigned PrioW  = 3;
  localparam int unsigned IdW    = $clog2(NumSrc);
  // Sources 24..31 are edge-triggered, all others level.
  localparam logic [NumSrc-1:0] EdgeTrig = 32'hFF00_0000;

  // ---------------------------------------------------------------------------------------
  // Address decoder. Device d is selected when (addr & ~DevMask[d]) == DevBase[d].
  localparam int unsigned NumDev   = 3;
  localparam int unsigned DevPlic  = 0;
  localparam int unsigned DevTimer = 1;
  localparam int unsigned DevIpi   = 2;
  localparam logic [NumDev*32-1:0] DevBase = {
    32'h1001_0000,  // DevIpi
    32'h1000_0000,  // DevTimer
    32'h0C00_0000   // DevPlic
  };
  localparam logic [NumDev*32-1:0] DevMask = {
    32'h0000_0FFF,  // DevIpi:   4 KiB
    32'h0000_0FFF,  // DevTimer: 4 KiB
    32'h003F_FFFF   // DevPlic:  4 MiB
  };

  logic        reg_req, reg_we, reg_error;
  logic [31:0] reg_addr, reg_wdata, reg_rdata;

  logic [NumDev-1:0]    dev_sel, dev_req, dev_error;
  logic                 bus_quiescent, plic_quiescent, timer_quiescent, ipi_quiescent;
  // Every device's read data, selected or not, changes with the address on the bus and
  // with the timer's counters: left out of the waves (reg_rdata shows the selected one).
  /* verilator tracing_off */
  logic [NumDev*32-1:0] dev_rdata;
  /* verilator tracing_on */

  always_comb begin
    reg_rdata = '0;
    reg_error = 1'b1;
    for (int unsigned d = 0; d < NumDev; d++) begin
      dev_sel[d] = ((reg_addr & ~DevMask[d*32 +: 32]) == DevBase[d*32 +: 32]);
      dev_req[d] = reg_req & dev_sel[d];
      if (dev_sel[d]) begin
        reg_rdata = dev_rdata[d*32 +: 32];
        reg_error = dev_error[d];
      end
    end
  end

  tlul_adapter_reg u_tlul_adapter (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .a_valid_i   (tl_a_valid_i),
    .a_ready_o   (tl_a_ready_o),
    .a_opcode_i  (tl_a_opcode_i),
    .a_address_i (tl_a_address_i),
    .a_mask_i    (tl_a_mask_i),
    .a_data_i    (tl_a_data_i),
    .a_source_i  (tl_a_source_i),
    .d_valid_o   (tl_d_valid_o),
    .d_ready_i   (tl_d_ready_i),
    .d_opcode_o  (tl_d_opcode_o),
    .d_data_o    (tl_d_data_o),
    .d_error_o   (tl_d_error_o),
    .d_source_o  (tl_d_source_o),
    .reg_req_o   (reg_req),
    .reg_we_o    (reg_we),
    .reg_addr_o  (reg_addr),
    .reg_wdata_o (reg_wdata),
    .reg_rdata_i (reg_rdata),
    .reg_error_i (reg_error),
    .quiescent_o (bus_quiescent)
  );

  // ---------------------------------------------------------------------------------------
  // Interrupt sources.
  logic [NumHarts-1:0] timer_intr;
  logic [3:0]          timer_pad;
  logic [NumHarts-1:0] ipi_intr;
  logic [3:0]          ipi_pad;
  logic [15:0]         ext_pad;
  logic [NumSrc-1:0]   src;

  always_comb begin
    timer_pad = '0;
    ipi_pad   = '0;
    ext_pad   = '0;
    timer_pad[NumHarts-1:0] = timer_intr;
    ipi_pad[NumHarts-1:0]   = ipi_intr;
    ext_pad[NumExt-1:0]     = ext_irq_i;
    src        = '0;
    src[4:1]   = timer_pad;   // timer of harts 0..3
    src[5]     = 1'b0;        // NIC (not yet present)
    src[6]     = 1'b0;        // crypto (not yet present)
    src[10:7]  = ipi_pad;     // IPI of harts 0..3 (11..15 reserved, 0)
    src[23:16] = ext_pad[7:0];
    src[31:24] = ext_pad[15:8];
  end

  assign irq_src_o = src;

  // ---------------------------------------------------------------------------------------
  // Devices.
  logic [NumHarts*IdW-1:0] plic_irq_id;

  plic #(
    .NumSrc    (NumSrc),
    .NumTarget (NumHarts),
    .PrioW     (PrioW),
    .EdgeTrig  (EdgeTrig)
  ) u_plic (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .intr_src_i  (src),
    .reg_req_i   (dev_req[DevPlic]),
    .reg_we_i    (reg_we),
    .reg_addr_i  (reg_addr[21:0]),
    .reg_wdata_i (reg_wdata),
    .reg_rdata_o (dev_rdata[DevPlic*32 +: 32]),
    .reg_error_o (dev_error[DevPlic]),
    .irq_o       (irq_o),
    .irq_id_o    (plic_irq_id),
    .quiescent_o (plic_quiescent)
  );

  timer #(
    .NumHarts (NumHarts)
  ) u_timer (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .reg_req_i   (dev_req[DevTimer]),
    .reg_we_i    (reg_we),
    .reg_addr_i  (reg_addr[11:0]),
    .reg_wdata_i (reg_wdata),
    .reg_rdata_o (dev_rdata[DevTimer*32 +: 32]),
    .reg_error_o (dev_error[DevTimer]),
    .intr_o      (timer_intr),
    .quiescent_o (timer_quiescent)
  );

  ipi #(
    .NumHarts (NumHarts)
  ) u_ipi (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .reg_req_i   (dev_req[DevIpi]),
    .reg_we_i    (reg_we),
    .reg_addr_i  (reg_addr[11:0]),
    .reg_wdata_i (reg_wdata),
    .reg_rdata_o (dev_rdata[DevIpi*32 +: 32]),
    .reg_error_o (dev_error[DevIpi]),
    .ipi_o       (ipi_intr),
    .quiescent_o (ipi_quiescent)
  );

  assign quiescent_o = bus_quiescent & plic_quiescent & timer_quiescent & ipi_quiescent;

  logic unused_irq_id;
  assign unused_irq_id = ^plic_irq_id;

endmodule
