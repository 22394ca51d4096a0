#pragma once
// Runs the irqlab binary as a child process (SystemC allows one simulation per process)
// and reads what it leaves behind.
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <sys/wait.h>

namespace irqlab::test {

struct ProcessResult {
  int exit_status = -1;  // -1: killed by a signal
  std::string output;    // stdout and stderr
};

inline ProcessResult run_irqlab(const std::string& args) {
  const std::string command = std::string(IRQLAB_BINARY) + " " + args + " 2>&1";
  ProcessResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  while (fgets(buffer.data(), buffer.size(), pipe) != nullptr) result.output += buffer.data();
  const int status = pclose(pipe);
  result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

inline std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline nlohmann::json read_json(const std::filesystem::path& file) { return nlohmann::json::parse(read_text(file)); }

// What tools/validate_results.py says of a results.json against docs/results.schema.json:
// empty when it matches, else its report.
inline std::string results_schema_violations(const std::filesystem::path& file) {
  const std::string command = std::string(IRQLAB_PYTHON) + " " + IRQLAB_SOURCE_DIR +
                              "/tools/validate_results.py " + file.string() + " 2>&1";
  std::string report;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return "cannot start " + command;
  std::array<char, 4096> buffer{};
  while (fgets(buffer.data(), buffer.size(), pipe) != nullptr) report += buffer.data();
  const int status = pclose(pipe);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return "";
  return report.empty() ? command + " failed" : report;
}

// Every results.json a test reads goes through here: it must match the schema.
inline nlohmann::json read_results(const std::filesystem::path& file) {
  const std::string violations = results_schema_violations(file);
  if (!violations.empty())
    throw std::runtime_error(file.string() + " does not match the schema:\n" + violations);
  return read_json(file);
}

// A fresh directory under the build tree for one test.
inline std::filesystem::path scratch_dir(const std::string& name) {
  const std::filesystem::path dir = std::filesystem::path(IRQLAB_TEST_SCRATCH) / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline void write_text(const std::filesystem::path& file, const std::string& text) {
  std::ofstream out(file);
  out << text;
}

}  // namespace irqlab::test
