// A planted bug for the sanitizer build (sanitize/CMakeLists.txt): a 4-byte load from an
// address that is not a multiple of 4. sanitize/ubsan.supp suppresses alignment reports
// inside Verilator's FST writer only; the test passes only when UBSan still reports this
// one, in our code, and stops the program (reaching the end prints "survived").
#include <cstdio>

int main(int argc, char**) {
  alignas(4) unsigned char bytes[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  // The offset depends on argc so that the compiler cannot prove the misalignment.
  const int* word = reinterpret_cast<const int*>(bytes + argc);
  std::printf("%d survived\n", *word);
  return 0;
}
