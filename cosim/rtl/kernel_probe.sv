// One hart's kernel state, as signals in the waves. Values come from the kernel's trace
// stream: activity 0 idle, 1 kernel, 2 user, 3 interrupt; handler = PLIC source whose
// handler is running (0 = none); lwp = the LWP the hart runs or is switching to;
// lock_wait = 1 + id of the lock the hart's LWP spins or blocks on (0 = none).
module kernel_probe (
  input logic [1:0]  activity_i,
  input logic        in_irq_i,
  input logic [7:0]  handler_i,
  input logic [15:0] lwp_i,
  input logic [7:0]  lock_wait_i
);
  logic [1:0] activity  /*verilator public_flat_rd*/;
  logic       in_irq    /*verilator public_flat_rd*/;
  logic [7:0] handler   /*verilator public_flat_rd*/;
  logic [15:0] lwp      /*verilator public_flat_rd*/;
  logic [7:0] lock_wait /*verilator public_flat_rd*/;
  assign activity = activity_i;
  assign in_irq   = in_irq_i;
  assign handler  = handler_i;
  assign lwp      = lwp_i;
  assign lock_wait = lock_wait_i;
endmodule
