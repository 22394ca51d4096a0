// A planted bug for the sanitizer build (sanitize/CMakeLists.txt): one write past the end
// of a heap array. The test passes only when AddressSanitizer reports it.
#include <cstdio>
#include <cstdlib>

int main(int argc, char**) {
  // The index depends on argc so that the compiler cannot prove the overflow and drop it.
  const int size = 8;
  int* values = static_cast<int*>(std::malloc(size * sizeof(int)));
  values[size - 1 + argc] = 1;
  std::printf("%d\n", values[0]);
  std::free(values);
  return 0;
}
