// One kernel lock's owner, as a signal in the waves: 1 + the owning LWP's id, 0 = free.
// Driven from the kernel's trace stream (LockAcquire, LockRelease).
module lock_probe (
  input logic [15:0] owner_i
);
  logic [15:0] owner /*verilator public_flat_rd*/;
  assign owner = owner_i;
endmodule
