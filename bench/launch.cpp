// irqlab_bench_launch: runs a program and reports its peak RSS, as wait4() gives it.
//
// Linux carries a process's peak RSS over exec(), so a program spawned straight from the
// bench would report at least the bench's own (about 11 MB, more than the bare loop
// needs). Started from this small process instead, its ru_maxrss is its own, or this
// process's 1-2 MB if that were larger.
//
//   irqlab_bench_launch program [args...]
//
// After the program exits, prints "irqlab-bench-launch: peak_rss_kb N" on stdout and
// exits as the program did (128 + signal when a signal ended it).
#include <cerrno>
#include <cstdio>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char* argv[]) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: irqlab_bench_launch program [args...]\n");
    return 2;
  }
  std::fflush(stdout);
  const pid_t pid = fork();
  if (pid < 0) {
    std::perror("irqlab_bench_launch: fork");
    return 127;
  }
  if (pid == 0) {
    execv(argv[1], argv + 1);
    std::perror("irqlab_bench_launch: exec");
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  while (wait4(pid, &status, 0, &usage) < 0) {
    if (errno != EINTR) {
      std::perror("irqlab_bench_launch: wait4");
      return 127;
    }
  }
  std::printf("irqlab-bench-launch: peak_rss_kb %ld\n", usage.ru_maxrss);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
