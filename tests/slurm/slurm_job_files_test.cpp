// The Slurm launcher's files and command lines without a cluster: bash itself reads back
// what shell_quote() and the manifest say, and the batch script runs here as an array
// task would (SLURM_ARRAY_* set by hand); squeue's and sbatch's answers are the text the
// Slurm 22.05 commands print (seen on a one-node cluster from tools/slurm/).
#include "regress/slurm_job_files.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <string>
#include <sys/wait.h>
#include <vector>

#include "regress/launcher.h"
#include "regress/slurm_commands.h"

namespace irqlab::cosim::regress {
namespace slurm_job_files_test {

namespace fs = std::filesystem;

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::path(IRQLAB_TEST_SCRATCH) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The words bash makes of `line` (by the same eval the batch script uses), NUL-separated.
std::vector<std::string> words_bash_reads(const std::string& line) {
  const fs::path dir = scratch("quote");
  std::ofstream(dir / "line") << line;
  const CommandOutput out =
      run_command({"bash", "-c", "line=$(cat \"$1\"); eval \"set -- $line\"; printf '%s\\0' \"$@\"",
                   "bash", (dir / "line").string()});
  EXPECT_EQ(out.exit_status, 0) << out.err;
  std::vector<std::string> words;
  std::string word;
  for (const char c : out.out) {
    if (c == '\0') {
      words.push_back(word);
      word.clear();
    } else {
      word += c;
    }
  }
  return words;
}

TEST(SlurmJobFiles, ShellQuotedWordsComeBackUnchangedOnOneLine) {
  const std::vector<std::string> words{
      "plain", "two words",   "it's", "\"double\"", "$HOME `id` $(id)", "back\\slash", "*",
      "",      "line\nbreak", "-c",   "a=b;c"};
  std::string line;
  for (const std::string& w : words) line += (line.empty() ? "" : " ") + shell_quote(w);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_EQ(words_bash_reads(line), words);
}

TEST(SlurmJobFiles, ManifestHasOneLinePerJobLogFirst) {
  const std::string text = manifest_text(
      {{"/out/a/run.log", {"/bin/irqlab", "run", "a b.yaml"}}, {"/out/b/run.log", {"x"}}});
  EXPECT_EQ(text,
            "'/out/a/run.log' '/bin/irqlab' 'run' 'a b.yaml'\n"
            "'/out/b/run.log' 'x'\n");
}

// Runs the batch script as array task `task` of job 77, as slurmd would.
int run_as_task(const fs::path& script, unsigned task) {
  const std::string command = "SLURM_ARRAY_JOB_ID=77 SLURM_ARRAY_TASK_ID=" + std::to_string(task) +
                              " bash '" + script.string() + "'";
  const int status = std::system(command.c_str());
  return WEXITSTATUS(status);
}

TEST(SlurmJobFiles, BatchScriptRunsItsLineAndRecordsTheStatus) {
  const fs::path dir = scratch("batch");
  fs::create_directories(dir / "status");
  const std::vector<ManifestEntry> entries{
      {dir / "zero.log", {"/bin/sh", "-c", "echo zero"}},
      {dir / "one.log", {"/bin/sh", "-c", "echo \"$1\"; echo oops >&2; exit 3", "sh", "it's 1"}},
      {dir / "two.log", {"/bin/sh", "-c", "kill -KILL $$"}},
      {dir / "three.log", {dir / "no-such-binary"}}};
  std::ofstream(dir / "manifest") << manifest_text(entries);
  std::ofstream(dir / "batch.sh") << batch_script_text(dir / "manifest", dir / "status");

  EXPECT_EQ(run_as_task(dir / "batch.sh", 1), 3);
  EXPECT_EQ(read_text(dir / "one.log"), "it's 1\noops\n");  // stdout and stderr, this case only
  EXPECT_FALSE(fs::exists(dir / "zero.log"));
  EXPECT_TRUE(fs::exists(started_file(dir / "status", "77", 1)));
  const std::optional<TaskExit> one = read_task_exit(exit_status_file(dir / "status", "77", 1));
  ASSERT_TRUE(one);
  EXPECT_EQ(one->shell_status, 3);
  EXPECT_FALSE(one->signal());
  EXPECT_LE(one->started_at, one->ended_at);

  EXPECT_EQ(run_as_task(dir / "batch.sh", 2), 128 + 9);
  const std::optional<TaskExit> two = read_task_exit(exit_status_file(dir / "status", "77", 2));
  ASSERT_TRUE(two);
  EXPECT_EQ(two->signal(), 9);

  EXPECT_EQ(run_as_task(dir / "batch.sh", 3), 127);  // the shell's "command not found"
  EXPECT_NE(read_text(dir / "three.log").find("no-such-binary"), std::string::npos);

  EXPECT_EQ(run_as_task(dir / "batch.sh", 4), 2);  // past the manifest's end: no status
  EXPECT_FALSE(read_task_exit(exit_status_file(dir / "status", "77", 4)));
}

TEST(SlurmJobFiles, AMalformedExitFileIsAnErrorNamingIt) {
  const fs::path dir = scratch("malformed");
  std::ofstream(dir / "77_0.exit") << "three\n";
  try {
    read_task_exit(dir / "77_0.exit");
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("77_0.exit"), std::string::npos) << e.what();
  }
}

TEST(SlurmCommands, SbatchTakesResourcesAndThrottleFromTheOptions) {
  LauncherOptions options;
  options.jobs = 2;
  options.partition = "batch";
  options.time_limit = "0:10:00";
  options.cpus_per_task = 3;
  options.mem_per_task = "2G";
  EXPECT_EQ(sbatch_command(options, 5, "/w/batch.sh", "/w/slurm-%A_%a.out"),
            (std::vector<std::string>{"sbatch", "--parsable", "--array=0-4%2",
                                      "--job-name=irqlab-regress", "--output=/w/slurm-%A_%a.out",
                                      "--cpus-per-task=3", "--partition=batch", "--time=0:10:00",
                                      "--mem=2G", "/w/batch.sh"}));
  options.partition.clear();
  options.time_limit.clear();
  options.mem_per_task.clear();
  options.jobs = 0;  // no -j under --slurm: no throttle, the cluster decides
  options.cpus_per_task = 1;
  EXPECT_EQ(
      sbatch_command(options, 1, "/w/batch.sh", "/w/o"),
      (std::vector<std::string>{"sbatch", "--parsable", "--array=0-0", "--job-name=irqlab-regress",
                                "--output=/w/o", "--cpus-per-task=1", "/w/batch.sh"}));
}

TEST(SlurmCommands, AnExplicitJobCountIsTheThrottleEvenOneOrAboveTheTasks) {
  LauncherOptions options;
  for (const unsigned jobs : {1U, 5U, 9U}) {
    options.jobs = jobs;
    EXPECT_EQ(sbatch_command(options, 5, "/w/batch.sh", "/w/o")[2],
              "--array=0-4%" + std::to_string(jobs));
  }
}

TEST(SlurmCommands, SbatchJobIdWithOrWithoutCluster) {
  EXPECT_EQ(parse_sbatch_job_id("12\n"), "12");
  EXPECT_EQ(parse_sbatch_job_id("345;cluster2\n"), "345");
  EXPECT_FALSE(parse_sbatch_job_id(""));
  EXPECT_FALSE(parse_sbatch_job_id("Submitted batch job 12\n"));
}

TEST(SlurmCommands, SqueueTasksAndWhetherTheyAreActive) {
  const auto tasks = parse_squeue_tasks(
      "3|PENDING|JobArrayTaskLimit\n"
      "1|RUNNING|None\n"
      "2|FAILED|JobLaunchFailure\n"
      "0|COMPLETED|None\n"
      "4-7|PENDING|Resources\n");
  ASSERT_EQ(tasks.size(), 4u);
  EXPECT_TRUE(tasks.at(3).active());
  EXPECT_TRUE(tasks.at(1).active());
  EXPECT_FALSE(tasks.at(2).active());
  EXPECT_EQ(tasks.at(2).reason, "JobLaunchFailure");
  EXPECT_FALSE(tasks.at(0).active());
  EXPECT_EQ(tasks.at(0).state, "COMPLETED");
}

TEST(SlurmLauncherRegistry, MakeLauncherFindsItByName) {
  LauncherOptions options;
  options.work_dir = scratch("registry");
  EXPECT_EQ(make_launcher("slurm", options)->name(), "slurm");
}

TEST(SlurmCommands, AFailureIsOneLineOfTheCommandsMessages) {
  const CommandOutput sbatch{1, "", "sbatch: error: first\n\nsbatch: error: second\n"};
  EXPECT_EQ(sbatch.failure(), "exit 1: sbatch: error: first; sbatch: error: second");
  const CommandOutput quiet{2, "on stdout only\n", ""};
  EXPECT_EQ(quiet.failure(), "exit 2: on stdout only");
}

TEST(SlurmCommands, ACommandThatCannotStartSaysSo) {
  const CommandOutput out = run_command({"/nonexistent/sbatch"});
  EXPECT_EQ(out.exit_status, 127);
  EXPECT_NE(out.failure().find("/nonexistent/sbatch"), std::string::npos) << out.failure();
}

}  // namespace slurm_job_files_test
}  // namespace irqlab::cosim::regress
