// One kernel lock's owner, as a signal in the waves: 1 + the owning LWP's id, 0 = free;
// the run names the values in its GTKWave translate filters (waves/README.md). Driven from
// the kernel's trace stream (LockAcquire, LockRelease).
module lock_probe (
  /* verilator tracing_off */
  input logic [15:0] owner_i
  /* verilator tracing_on */
);
  logic [15:0] owner /*verilator public_flat_rd*/;
  assign owner = owner_i;
endmodule
