// A planted bug for the sanitizer build (sanitize/CMakeLists.txt): a signed addition that
// overflows (INT_MAX + 1 from the command line). The test passes only when UBSan reports
// it and stops the program; reaching the end prints "survived".
#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  const int value = std::atoi(argv[1]);
  const int next = value + 1;
  std::printf("%d survived\n", next);
  return 0;
}
