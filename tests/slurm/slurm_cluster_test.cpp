// The Slurm launcher against a real cluster: run by run_cluster_test.sh, which starts a
// one-node cluster (tools/slurm/) and exports its SLURM_CONF. Cases run through one job
// array give the same results.json as the same command lines run directly here; a case
// that fails, is killed, or whose batch shell dies is reported so, with its log; a failing
// sbatch and an interrupt are reported as the launcher's interface says.
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <string>
#include <thread>
#include <vector>

#include "regress/slurm_commands.h"
#include "regress/slurm_launcher.h"
#include "run/run_control.h"

namespace irqlab::cosim::regress {
namespace slurm_cluster_test {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

// Quick polling, and a short grace for lost tasks: one node, one local filesystem.
constexpr SlurmPolling kTestPolling{milliseconds(200), milliseconds(2'000), milliseconds(30'000),
                                    milliseconds(30'000)};

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::path(IRQLAB_TEST_SCRATCH) / "cluster" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

LauncherOptions options_in(const fs::path& dir) {
  LauncherOptions options;
  options.jobs = 0;  // no throttle (irqlab regress --slurm without -j)
  options.work_dir = dir / "launcher";
  return options;
}

CaseJob shell_job(const fs::path& dir, const std::string& id, const std::string& script) {
  return {id, {"/bin/sh", "-c", script}, dir / id, dir / id / "run.log"};
}

class SlurmCluster : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(std::getenv("SLURM_CONF"), nullptr)
        << "no cluster: run this test through tests/slurm/run_cluster_test.sh";
  }
};

TEST_F(SlurmCluster, CasesGiveTheResultsOfADirectRun) {
  const fs::path dir = scratch("same");
  std::vector<CaseJob> jobs;
  for (const std::string personality : {"bsd43", "linux", "netbsd"}) {
    const std::string id = "default/" + personality;
    const fs::path out = dir / "slurm" / id;
    jobs.push_back(
        {id,
         {IRQLAB_BINARY, "run", IRQLAB_SOURCE_DIR "/scenarios/default.yaml", "--out", out.string(),
          "--run-id", id, "--no-waves", "-c", "kernel.personality=" + personality},
         out,
         out / "run.log"});
  }
  std::vector<std::string> reported;
  SlurmLauncher launcher(options_in(dir), kTestPolling);
  const std::vector<CaseEnd> ends =
      launcher.run(jobs, [&](const CaseEnd& end) { reported.push_back(end.id); });
  ASSERT_EQ(ends.size(), jobs.size());
  EXPECT_EQ(reported.size(), jobs.size());
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    EXPECT_EQ(ends[i].id, jobs[i].id);
    EXPECT_EQ(ends[i].how, CaseEnd::How::exited) << ends[i].detail;
    EXPECT_EQ(ends[i].code, 0) << read_text(jobs[i].log_file);
    EXPECT_TRUE(launcher.wall_seconds(jobs[i].id));

    std::vector<std::string> direct = jobs[i].argv;
    const fs::path direct_out = dir / "direct" / jobs[i].id;
    direct[4] = direct_out.string();
    const CommandOutput ran = run_command(direct);
    ASSERT_EQ(ran.exit_status, 0) << ran.err;
    const std::string results = read_text(jobs[i].out_dir / "results.json");
    EXPECT_FALSE(results.empty());
    EXPECT_EQ(results, read_text(direct_out / "results.json")) << jobs[i].id;
  }
}

TEST_F(SlurmCluster, FailedKilledAndLostTasksAreReportedWithTheirLogs) {
  const fs::path dir = scratch("failing");
  const std::vector<CaseJob> jobs{
      {"missing",
       {(dir / "no-such-irqlab").string(), "run"},
       dir / "missing",
       dir / "missing" / "run.log"},
      shell_job(dir, "killed", "echo before; kill -KILL $$"),
      shell_job(dir, "lost", "kill -KILL $PPID"),  // the batch shell itself
      shell_job(dir, "fails", "echo bad input >&2; exit 2")};
  SlurmLauncher launcher(options_in(dir), kTestPolling);
  const std::vector<CaseEnd> ends = launcher.run(jobs, [](const CaseEnd&) {});
  ASSERT_EQ(ends.size(), 4u);

  EXPECT_EQ(ends[0].how, CaseEnd::How::exited);
  EXPECT_EQ(ends[0].code, 127);  // the shell's "command not found"
  EXPECT_NE(ends[0].detail.find("could not run"), std::string::npos) << ends[0].detail;
  EXPECT_NE(read_text(jobs[0].log_file).find("no-such-irqlab"), std::string::npos);

  EXPECT_EQ(ends[1].how, CaseEnd::How::signalled);
  EXPECT_EQ(ends[1].code, SIGKILL);
  EXPECT_NE(ends[1].detail.find(jobs[1].log_file.string()), std::string::npos) << ends[1].detail;
  EXPECT_EQ(read_text(jobs[1].log_file), "before\n");

  EXPECT_EQ(ends[2].how, CaseEnd::How::lost);
  EXPECT_NE(ends[2].detail.find("without recording an exit status"), std::string::npos)
      << ends[2].detail;
  EXPECT_NE(ends[2].detail.find(jobs[2].log_file.string()), std::string::npos) << ends[2].detail;

  EXPECT_EQ(ends[3].how, CaseEnd::How::exited);
  EXPECT_EQ(ends[3].code, 2);
  EXPECT_EQ(read_text(jobs[3].log_file), "bad input\n");
}

TEST_F(SlurmCluster, AFailingSbatchEndsEveryCaseWithItsMessage) {
  const fs::path dir = scratch("sbatch");
  LauncherOptions options = options_in(dir);
  options.partition = "no-such-partition";
  const std::vector<CaseJob> jobs{shell_job(dir, "a", "true"), shell_job(dir, "b", "true")};
  std::size_t reported = 0;
  const std::vector<CaseEnd> ends =
      SlurmLauncher(options, kTestPolling).run(jobs, [&](const CaseEnd&) { ++reported; });
  EXPECT_EQ(reported, 2u);
  for (const CaseEnd& end : ends) {
    EXPECT_EQ(end.how, CaseEnd::How::not_started);
    EXPECT_NE(end.detail.find("sbatch failed"), std::string::npos) << end.detail;
    EXPECT_NE(end.detail.find("invalid partition"), std::string::npos) << end.detail;
  }
}

TEST_F(SlurmCluster, AnInterruptCancelsTheArray) {
  const fs::path dir = scratch("interrupt");
  LauncherOptions options = options_in(dir);
  // Each task takes every CPU of the node: task 0 runs, the others wait.
  const CommandOutput cpus = run_command({"sinfo", "--noheader", "--format=%c"});
  ASSERT_EQ(cpus.exit_status, 0) << cpus.failure();
  options.cpus_per_task = static_cast<unsigned>(std::stoul(cpus.out));
  const std::string sleeper = "trap 'echo terminated; exit 42' TERM; sleep 60 & wait";
  const std::vector<CaseJob> jobs{shell_job(dir, "first", sleeper),
                                  shell_job(dir, "second", sleeper),
                                  shell_job(dir, "third", sleeper)};
  InterruptSignals signals;
  std::atomic<bool> stop{false};
  // Interrupts once the first task has started (its started file exists).
  std::thread interrupter([&] {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!stop && std::chrono::steady_clock::now() < give_up) {
      std::error_code absent;  // until run() has made the directory
      for (auto file = fs::directory_iterator(dir / "launcher" / "status", absent);
           !absent && file != fs::directory_iterator(); file.increment(absent))
        if (file->path().extension() == ".started") {
          std::raise(SIGINT);
          return;
        }
      std::this_thread::sleep_for(milliseconds(100));
    }
  });
  const std::vector<CaseEnd> ends =
      SlurmLauncher(options, kTestPolling).run(jobs, [](const CaseEnd&) {});
  stop = true;
  interrupter.join();
  ASSERT_EQ(InterruptSignals::received(), SIGINT);
  ASSERT_EQ(ends.size(), 3u);
  EXPECT_EQ(ends[0].how, CaseEnd::How::exited) << ends[0].detail;  // Slurm's SIGTERM, trapped
  EXPECT_EQ(ends[0].code, 42);
  EXPECT_EQ(read_text(jobs[0].log_file), "terminated\n");
  for (std::size_t i = 1; i < ends.size(); ++i) {
    EXPECT_EQ(ends[i].how, CaseEnd::How::not_started) << ends[i].detail;
    EXPECT_NE(ends[i].detail.find("SIGINT"), std::string::npos) << ends[i].detail;
  }
  // Cancelled: nothing left to start or running (a task may still be COMPLETING).
  const CommandOutput queue =
      run_command({"squeue", "--noheader", "--states=PENDING,RUNNING", "--format=%i"});
  EXPECT_EQ(queue.out, "") << "tasks left behind";
}

}  // namespace slurm_cluster_test
}  // namespace irqlab::cosim::regress
