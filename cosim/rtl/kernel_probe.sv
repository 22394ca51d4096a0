// One hart's kernel state, as signals in the waves. Values come from the kernel's trace
// stream. `activity` is an enum, so the FST carries its names (idle, kernel, user,
// interrupt) and GTKWave shows them; the other fields are ids that the run names in its
// GTKWave translate filters (waves-filters/, waves/README.md):
// handler = PLIC source whose handler is running (0 = none); lwp = the LWP the hart runs or
// is switching to; lock_wait = 1 + id of the lock the hart's LWP spins or blocks on
// (0 = none); deferred = 1 + id of the deferred work running on the hart (0 = none).
module kernel_probe (
  // The inputs repeat the named signals below: kept out of the waves.
  /* verilator tracing_off */
  input logic [1:0]  activity_i,
  input logic        in_irq_i,
  input logic [7:0]  handler_i,
  input logic [15:0] lwp_i,
  input logic [7:0]  lock_wait_i,
  input logic [15:0] deferred_i
  /* verilator tracing_on */
);
  // kernel::CpuActivity's values (kernel/trace/trace.h).
  typedef enum logic [1:0] {
    Idle      = 2'd0,
    Kernel    = 2'd1,
    User      = 2'd2,
    Interrupt = 2'd3
  } activity_e;

  activity_e   activity  /*verilator public_flat_rd*/;
  logic        in_irq    /*verilator public_flat_rd*/;
  logic [7:0]  handler   /*verilator public_flat_rd*/;
  logic [15:0] lwp       /*verilator public_flat_rd*/;
  logic [7:0]  lock_wait /*verilator public_flat_rd*/;
  logic [15:0] deferred  /*verilator public_flat_rd*/;
  assign activity  = activity_e'(activity_i);
  assign in_irq    = in_irq_i;
  assign handler   = handler_i;
  assign lwp       = lwp_i;
  assign lock_wait = lock_wait_i;
  assign deferred  = deferred_i;
endmodule
