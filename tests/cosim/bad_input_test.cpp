// Every class of bad input a user may give irqlab, as a table: the scenario text (or the
// -c overrides) and the message docs/scenario-format.md promises, naming the file and
// line (or the -c and its text), the key and the limit. Loaded in-process through
// load_scenario, the function `irqlab run` uses; two cases run the binary for its exit
// status (2) and its stderr. Limits come from the docs: harts 1..4 and priorities 1..7
// (docs/rtl.md), duration_cycles 1..10^12, clock_period_ps 2..10^7, memory_latency
// 0..10000, bus latencies 0..1000, instruction_cycles 1..10000, work and cycle numbers
// 0..10^12, pulses 0..10^7, repeat 0..2^32-1, cost-profile fields 0..10^6, NIC rings 8..256
// in multiples of 8, 16-bit NIC timers, ESP payloads 1..1437, SPIs 256..2^32-1.
#include <cstdlib>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <sys/wait.h>

#include "config/config_node.h"
#include "net/pcap_file.h"
#include "scenario/scenario.h"

namespace irqlab::cosim {
namespace bad_input_test {

const std::filesystem::path kCosts =
    std::filesystem::path(IRQLAB_SOURCE_DIR) / "scenarios/costs/default.yaml";

std::filesystem::path scratch() {
  static const std::filesystem::path dir = [] {
    const std::filesystem::path d = std::filesystem::path(IRQLAB_TEST_SCRATCH) / "bad_input";
    std::filesystem::create_directories(d / "a-directory.yaml");
    return d;
  }();
  return dir;
}

// A scenario's text: line 1 duration_cycles (20000), line 2 kernel:, line 3 its cost
// profile, so the first line of `body` is line 4.
std::string with_base(const std::string& body) {
  return "duration_cycles: 20000\nkernel:\n  cost_profile: " + kCosts.string() + "\n" + body;
}

// The nic:, crypto: and ipsec: blocks an ESP case needs (4 + 6 lines), then `more`.
std::string with_ipsec(const std::string& ipsec_extra, const std::string& more = "") {
  return with_base(
      "nic: {}\ncrypto: {}\nipsec:\n  sa:\n    - {spi: 4096, key: "
      "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f, salt: deadbeef}\n" +
      ipsec_extra + more);
}

// A scenario with one source `a` (line 5) and a tune: block at line 6: `goals` (one line,
// line 7), `space:` (line 8) and the space's entries from line 9 on.
std::string with_tune(const std::string& goals, const std::string& space) {
  return with_base("sources:\n  - {source: 16, name: a, priority: 1, handler_cycles: 1}\ntune:\n" +
                   goals + "  space:\n" + space);
}

// A cost profile: the default one with `replace` in place of its `trap_entry: 40` line,
// so a bad value sits on that line (line 11 of scenarios/costs/default.yaml).
std::filesystem::path cost_profile(const std::string& name, const std::string& replace) {
  std::ifstream in(kCosts);
  std::stringstream text;
  text << in.rdbuf();
  std::string costs = text.str();
  const std::string line = "trap_entry: 40 ";
  costs.replace(costs.find(line), line.size(), replace + " ");
  const std::filesystem::path file = scratch() / (name + ".costs.yaml");
  std::ofstream(file) << costs;
  return file;
}

// pcap files for the replay cases: a good one, one with a frame too long, one cut short,
// one captured with a short snapshot length, one of another link type.
void write_pcaps() {
  const std::filesystem::path dir = scratch();
  {
    models::net::PcapWriter good(dir / "good.pcap", 10'000);
    good.write(0, models::net::Frame(60, 0xAB));
    models::net::PcapWriter long_frame(dir / "long.pcap", 10'000);
    long_frame.write(0, models::net::Frame(60, 0xAB));
    long_frame.write(1, models::net::Frame(1515, 0xCD));
  }
  // Classic pcap, little-endian, microseconds (magic a1b2c3d4, version 2.4), by hand.
  const auto file_header = [](std::uint32_t link) {
    std::string h;
    for (std::uint32_t word : {0xa1b2c3d4U, 0x00040002U, 0U, 0U, 65535U, link})
      for (int b = 0; b < 4; ++b) h += static_cast<char>((word >> (8 * b)) & 0xFF);
    return h;
  };
  const auto record = [](std::uint32_t caplen, std::uint32_t len, std::size_t bytes,
                         std::uint32_t seconds = 1) {
    std::string r;
    for (std::uint32_t word : {seconds, 0U, caplen, len})
      for (int b = 0; b < 4; ++b) r += static_cast<char>((word >> (8 * b)) & 0xFF);
    return r + std::string(bytes, '\x11');
  };
  std::ofstream(dir / "raw-ip.pcap", std::ios::binary) << file_header(101) << record(60, 60, 60);
  std::ofstream(dir / "cut.pcap", std::ios::binary) << file_header(1) << record(100, 100, 10);
  std::ofstream(dir / "snapped.pcap", std::ios::binary) << file_header(1) << record(60, 100, 60);
  // Records 2^31 - 2 s apart (libpcap reads the seconds as a signed 32-bit time), and 10 s.
  std::ofstream(dir / "far.pcap", std::ios::binary)
      << file_header(1) << record(60, 60, 60) << record(60, 60, 60, 0x7FFFFFFFU);
  std::ofstream(dir / "ten-seconds.pcap", std::ios::binary)
      << file_header(1) << record(60, 60, 60) << record(60, 60, 60, 11);
}

struct BadInput {
  BadInput(const char* case_name, std::string scenario_text, std::vector<std::string> assignments,
           std::string message, std::filesystem::path given_file = {})
      : name(case_name),
        text(std::move(scenario_text)),
        overrides(std::move(assignments)),
        expected(std::move(message)),
        file(std::move(given_file)) {}

  const char* name;
  std::string text;                    // the scenario file (unless `file` is given)
  std::vector<std::string> overrides;  // -c key=value, in order
  // Expected substring; {file} is the scenario's path, {dir} the scratch directory.
  std::string expected;
  std::filesystem::path file;  // load this file as it is instead of writing `text`
};

std::vector<BadInput> bad_inputs() {
  const std::string cut_costs =
      cost_profile("duplicate", "trap_entry: 40\ntrap_entry: 41").string();
  return {
      // A key given twice: both lines, at any depth, in a list element, in an override.
      {"duplicate_top",
       with_base("seed: 1\nseed: 2\n"),
       {},
       "{file}:5: key 'seed': given twice, at lines 4 and 5"},
      {"duplicate_nested",
       with_base("platform:\n  harts: 2\n  harts: 3\n"),
       {},
       "{file}:6: key 'platform.harts': given twice, at lines 5 and 6"},
      {"duplicate_in_list",
       with_base("sources:\n  - {source: 16, priority: 1, priority: 2, handler_cycles: 1}\n"),
       {},
       "{file}:5: key 'sources[0].priority': given twice, at lines 5 and 5"},
      {"duplicate_block",
       with_base("kernel:\n  tick_period: 1\n"),
       {},
       "{file}:4: key 'kernel': given twice, at lines 2 and 4"},
      {"duplicate_in_override",
       with_base(""),
       {"nic={priority: 1, priority: 2}"},
       "-c nic={priority: 1, priority: 2}: key 'nic.priority': given twice"},
      {"duplicate_cost",
       "duration_cycles: 100\nkernel:\n  cost_profile: " + cut_costs + "\n",
       {},
       "key 'kernel.cost_profile': " + cut_costs +
           ":12: key 'trap_entry': given twice, at lines 11 and 12"},
      {"two_documents",
       with_base("---\nseed: 2\n"),
       {},
       "{file}:4: the text holds more than one YAML document"},
      {"complex_key", with_base("? [a, b]\n: 1\n"), {}, "{file}:4: a key must be a plain name"},

      // Integers: wrap-around, negatives, beyond 64 bits, and each range of the model.
      {"repeat_wraps",
       with_base("threads:\n  - {name: t, repeat: 4294967297, steps: [{kernel: 10}]}\n"),
       {},
       "{file}:5: key 'threads[0].repeat': must be between 0 and 4294967295, got 4294967297"},
      {"seed_negative",
       with_base(""),
       {"seed=-1"},
       "-c seed=-1: key 'seed': must not be negative, got '-1'"},
      {"seed_beyond_64_bits",
       with_base(""),
       {"seed=18446744073709551616"},
       "-c seed=18446744073709551616: key 'seed': too large: at most 18446744073709551615"},
      {"seed_not_integer",
       with_base("seed: 1.5\n"),
       {},
       "{file}:4: key 'seed': expected a non-negative integer, got '1.5'"},
      {"duration_max",
       with_base(""),
       {"duration_cycles=18446744073709551615"},
       "key 'duration_cycles': must be between 1 and 1000000000000, got 18446744073709551615"},
      {"duration_zero",
       "duration_cycles: 0\nkernel:\n  cost_profile: " + kCosts.string() + "\n",
       {},
       "{file}:1: key 'duration_cycles': must be between 1 and 1000000000000, got 0"},
      {"clock_period_huge",
       with_base(""),
       {"platform.clock_period_ps=9223372036854775806"},
       "key 'platform.clock_period_ps': must be between 2 and 10000000, got 9223372036854775806"},
      {"clock_period_odd",
       with_base("platform: {clock_period_ps: 3}\n"),
       {},
       "{file}:4: key 'platform.clock_period_ps': must be a positive even number"},
      {"memory_latency",
       with_base(""),
       {"platform.memory_latency=18446744073709551615"},
       "key 'platform.memory_latency': must be between 0 and 10000"},
      {"bus_latency",
       with_base("platform:\n  bus: {request_cycles: 1001}\n"),
       {},
       "{file}:5: key 'platform.bus.request_cycles': must be between 0 and 1000, got 1001"},
      {"instruction_cycles",
       with_base(""),
       {"platform.instruction_cycles={min: 1, max: 10001}"},
       "key 'platform.instruction_cycles.max': must be between 1 and 10000, got 10001"},
      {"step_cycles_removed",
       with_base(""),
       {"platform.step_cycles=18446744073709551615"},
       "key 'platform.step_cycles': was removed"},
      {"harts",
       with_base("platform: {harts: 5}\n"),
       {},
       "key 'platform.harts': must be between 1 and 4, got 5"},
      {"handler_cycles",
       with_base("sources:\n  - {source: 16, priority: 1, handler_cycles: 18446744073709551615}\n"),
       {},
       "{file}:5: key 'sources[0].handler_cycles': must be between 0 and 1000000000000"},
      {"deferred_cycles",
       with_base("sources:\n  - {source: 16, priority: 1, handler_cycles: 1, deferred: {cycles: "
                 "1000000000001}}\n"),
       {},
       "key 'sources[0].deferred.cycles': must be between 0 and 1000000000000, got 1000000000001"},
      {"step_cycles_of_thread",
       with_base("threads:\n  - {name: t, steps: [{kernel: 10000000000000}]}\n"),
       {},
       "key 'threads[0].steps[0].kernel': must be between 0 and 1000000000000"},
      {"thread_priority_wraps",
       with_base("threads:\n  - {name: t, priority: 4294967296, steps: [yield]}\n"),
       {},
       "key 'threads[0].priority': must be below the band's size (32), got 4294967296"},
      {"tick_period",
       with_base(""),
       {"kernel.tick_period=1000000000001"},
       "key 'kernel.tick_period': must be between 0 and 1000000000000"},
      {"spinout_cycles_negative",
       with_base(""),
       {"kernel.spinout_cycles=-1"},
       "key 'kernel.spinout_cycles': must not be negative, got '-1'"},
      {"priority",
       with_base("sources:\n  - {source: 16, priority: 8, handler_cycles: 1}\n"),
       {},
       "key 'sources[0].priority': must be between 1 and 7, got 8"},
      // The waves' size estimate (scenario/waves_estimate.h): 2 bytes per traced cycle up to
      // depth 2, 16 deeper; at most 4 GB.
      {"waves_too_large_for_the_run",
       with_base(""),
       {"duration_cycles=2000000001"},
       "-c duration_cycles=2000000001: key 'duration_cycles': waves.fst could reach about 4.1 GB "
       "(2000000001 cycles traced at waves.depth 2, up to 2 bytes per cycle), above the limit of "
       "4 GB: run with --no-waves (or waves: false), trace a window of at most 2000000000 cycles "
       "(waves: {start: ..., end: ...}), or shorten the run"},
      {"waves_too_deep_for_the_window",
       with_base("waves: {depth: 3, start: 0, end: 250000001}\n"),
       {"duration_cycles=1000000000"},
       "{file}:4: key 'waves': waves.fst could reach about 4.1 GB (250000001 cycles traced at "
       "waves.depth 3, up to 16 bytes per cycle)"},
      {"waves_depth",
       with_base("waves: {depth: 100}\n"),
       {},
       "key 'waves.depth': must be between 1 and 99, got 100"},

      // Numbers that are not finite, negative or beyond the model's range.
      {"mean_gap_inf",
       with_base("sources:\n  - {source: 16, priority: 1, handler_cycles: 1, stimulus: {random: "
                 "{mean_gap: inf, count: "
                 "1}}}\n"),
       {},
       "{file}:5: key 'sources[0].stimulus.random.mean_gap': expected a finite number, got 'inf'"},
      {"mean_gap_yaml_nan",
       with_base("sources:\n  - {source: 16, priority: 1, handler_cycles: 1, stimulus: {random: "
                 "{mean_gap: .nan, count: "
                 "1}}}\n"),
       {},
       "key 'sources[0].stimulus.random.mean_gap': expected a finite number, got '.nan'"},
      {"mean_gap_negative",
       with_base("sources:\n  - {source: 16, priority: 1, handler_cycles: 1, stimulus: {random: "
                 "{mean_gap: -5, count: "
                 "1}}}\n"),
       {},
       "key 'sources[0].stimulus.random.mean_gap': must be between 0 and 1000000000000, got '-5'"},
      {"mean_gap_huge",
       with_base("sources:\n  - {source: 16, priority: 1, handler_cycles: 1, stimulus: {random: "
                 "{mean_gap: 1e300, "
                 "count: 1}}}\n"),
       {},
       "key 'sources[0].stimulus.random.mean_gap': must be between 0 and 1000000000000, got "
       "'1e300'"},
      {"time_scale_inf",
       with_base("traffic: {pattern: pcap, pcap: {file: good.pcap, time_scale: -.inf}}\n"),
       {},
       "{file}:4: key 'traffic.pcap.time_scale': expected a finite number, got '-.inf'"},
      {"time_scale_zero",
       with_base("traffic: {pattern: pcap, pcap: {file: good.pcap, time_scale: 0}}\n"),
       {},
       "key 'traffic.pcap.time_scale': must be above 0"},

      // Stimulus and traffic inside the run (duration_cycles 20000 at 10000 ps: 200000 ns).
      {"at_after_end",
       with_base("sources:\n  - {source: 16, priority: 1, handler_cycles: 1, stimulus: {at: [5, "
                 "20000]}}\n"),
       {},
       "key 'sources[0].stimulus.at[1]': must be before the end of the run (duration_cycles "
       "20000)"},
      {"periodic_count",
       with_base("sources:\n  - {source: 16, priority: 1, handler_cycles: 1, stimulus: {periodic: "
                 "{period: 2, count: "
                 "10000000}}}\n"),
       {},
       "key 'sources[0].stimulus.periodic.count': the last of 10000000 pulses would start at cycle "
       "19999998, after the "
       "end of the run (duration_cycles 20000); 10000 fit"},
      {"periodic_count_range",
       with_base("sources:\n  - {source: 16, priority: 1, handler_cycles: 1, stimulus: {periodic: "
                 "{period: 2, count: "
                 "10000001}}}\n"),
       {},
       "key 'sources[0].stimulus.periodic.count': must be between 0 and 10000000, got 10000001"},
      {"periodic_start",
       with_base("sources:\n  - {source: 16, priority: 1, handler_cycles: 1, stimulus: {periodic: "
                 "{start: 20000, period: "
                 "2, count: 1}}}\n"),
       {},
       "key 'sources[0].stimulus.periodic.start': must be before the end of the run "
       "(duration_cycles 20000)"},
      {"random_count",
       with_base("sources:\n  - {source: 16, priority: 1, handler_cycles: 1, stimulus: {random: "
                 "{mean_gap: 1000, count: "
                 "25}}}\n"),
       {},
       "key 'sources[0].stimulus.random.count': 25 pulses are expected to end at cycle 25050 "
       "(start + count × (min_gap + "
       "mean_gap)), after the end of the run (duration_cycles 20000)"},
      {"traffic_start",
       with_base("nic: {}\ntraffic: {start_ns: 200000}\n"),
       {},
       "{file}:5: key 'traffic.start_ns': must be before the end of the run (duration_cycles 20000 "
       "at 10000 ps: 200000 "
       "ns)"},

      // Empty lists where "all" is not meant, and a personality twice.
      {"source_cpus_empty",
       with_base("sources:\n  - {source: 16, priority: 1, handler_cycles: 1, cpus: []}\n"),
       {},
       "{file}:5: key 'sources[0].cpus': an empty list enables it on no hart"},
      {"nic_cpus_empty",
       with_base("nic: {cpus: []}\n"),
       {},
       "key 'nic.cpus': an empty list enables it on no hart"},
      {"crypto_cpus_empty",
       with_base(""),
       {"crypto={cpus: []}"},
       "-c crypto={cpus: []}: key 'crypto.cpus': an empty list enables it on no hart"},
      {"personality_empty",
       with_base(""),
       {"kernel.personality=[]"},
       "key 'kernel.personality': name at least one"},
      {"steps_empty",
       with_base("threads:\n  - {name: t, steps: []}\n"),
       {},
       "key 'threads[0].steps': a thread needs at least one step"},
      {"sa_empty",
       with_base("nic: {}\ncrypto: {}\nipsec: {sa: []}\n"),
       {},
       "key 'ipsec.sa': declare at least one SA"},
      {"personality_twice",
       with_base(""),
       {"kernel.personality=[linux, linux]"},
       "-c kernel.personality=[linux, linux]: key 'kernel.personality[1]': personality 'linux' is "
       "listed twice"},

      // Names: printable UTF-8, not empty, not too long; escaped in the message.
      {"name_newline",
       with_base("name: \"a\\nb\"\n"),
       {},
       "{file}:4: key 'name': a name must be printable: character \\n at byte 2"},
      {"name_not_utf8",
       with_base("name: caf\xe9\n"),
       {},
       "{file}:4: key 'name': a name must be valid UTF-8: byte 4 (\\xe9) is not"},
      {"name_overlong_utf8",
       with_base("name: \"x\"\nlocks: [\"a\xc0\xaf\"]\n"),
       {},
       "key 'locks[0]': a name must be valid UTF-8: byte 2 (\\xc0) is not"},
      {"source_name_tab",
       with_base("sources:\n  - {source: 16, name: \"\\tnic\", priority: 1, handler_cycles: 1}\n"),
       {},
       "key 'sources[0].name': a name must be printable: character \\t at byte 1"},
      {"thread_name_escape",
       with_base("threads:\n  - {name: \"\\e[31mred\", steps: [yield]}\n"),
       {},
       "key 'threads[0].name': a name must be printable: character \\x1b at byte 1"},
      {"lock_name_line_separator",
       with_base("locks: [\"a\\Lb\"]\n"),
       {},
       "key 'locks[0]': a name must be printable: character \\u2028 at byte 2"},
      {"lock_name_c1",
       with_base("locks: [\"a\xc2\x85"
                 "b\"]\n"),  // U+0085 (NEL) in UTF-8
       {},
       "key 'locks[0]': a name must be printable: character \\x85 at byte 2"},
      {"name_empty", with_base("name: \"\"\n"), {}, "key 'name': a name must not be empty"},
      {"name_too_long",
       with_base("name: " + std::string(201, 'a') + "\n"),
       {},
       "key 'name': a name must be at most 200 bytes long, got 201"},
      {"name_override",
       with_base(""),
       {"name=\"x\\ny\""},
       "-c name=\"x\\ny\": key 'name': a name must be printable"},

      // Files: a directory, a missing file, a cost profile that is wrong.
      {"scenario_is_directory",
       "",
       {},
       "{dir}/a-directory.yaml: is a directory, expected a YAML file",
       scratch() / "a-directory.yaml"},
      {"scenario_missing",
       "",
       {},
       "{dir}/missing.yaml: cannot open file: No such file or directory",
       scratch() / "missing.yaml"},
      {"cost_profile_is_directory",
       "duration_cycles: 100\nkernel:\n  cost_profile: a-directory.yaml\n",
       {},
       "{file}:3: key 'kernel.cost_profile': {dir}/a-directory.yaml: is a directory, expected a "
       "YAML file"},
      {"cost_too_large",
       "duration_cycles: 100\nkernel:\n  cost_profile: " +
           cost_profile("large", "trap_entry: 1000001").string() + "\n",
       {},
       "key 'trap_entry': must be at most 1000000 cycles, got 1000001"},
      {"cost_negative",
       "duration_cycles: 100\nkernel:\n  cost_profile: " +
           cost_profile("negative", "trap_entry: -4").string() + "\n",
       {},
       ":11: key 'trap_entry': must not be negative, got '-4'"},
      {"cost_unknown",
       "duration_cycles: 100\nkernel:\n  cost_profile: " +
           cost_profile("unknown", "trap_entry: 40\ntrap_exity: 3").string() + "\n",
       {},
       ":12: key 'trap_exity': unknown cost parameter"},
      {"malformed_yaml", with_base("platform: [unclosed\n"), {}, "{file}:5:1: malformed YAML"},

      // Overrides: blamed on -c and its text, never on the file.
      {"override_range",
       with_base("platform: {harts: 2}\n"),
       {"platform.harts=5"},
       "-c platform.harts=5: key 'platform.harts': must be between 1 and 4, got 5"},
      {"override_unknown_key",
       with_base("platform: {harts: 2}\n"),
       {"platform.colour=red"},
       "-c platform.colour=red: key 'platform.colour': unknown key"},
      {"override_unknown_new_block",
       with_base(""),
       {"nic.colour=red"},
       "-c nic.colour=red: key 'nic.colour': unknown key"},
      {"override_missing_key",
       with_base(""),
       {"sources=[{source: 16}]"},
       "-c sources=[{source: 16}]: key 'sources[0]': missing required key 'sources[0].priority'"},
      {"override_list_element",
       with_base(""),
       {"sources[0].priority=3"},
       "-c sources[0].priority=3: list elements cannot be set one by one"},
      {"override_empty_value", with_base(""), {"seed="}, "-c seed=: no value after '='"},
      {"override_null_value", with_base(""), {"seed=~"}, "-c seed=~: the value is null"},
      {"override_no_equals", with_base(""), {"seed"}, "-c seed: expected key=value"},
      {"override_malformed", with_base(""), {"seed=[1"}, "-c seed=[1: malformed value"},
      {"override_through_scalar",
       with_base("seed: 1\n"),
       {"seed.x=1"},
       "-c seed.x=1: 'seed' is not a mapping"},
      {"override_creates_block",
       with_base(""),
       {"ipsec.udp_port=5001"},
       "-c ipsec.udp_port=5001: key 'ipsec': the ESP receive path needs a nic: and a crypto: "
       "block"},
      {"override_second_of_two",
       with_base(""),
       {"seed=3", "platform.harts=0"},
       "-c platform.harts=0: key 'platform.harts': must be between 1 and 4, got 0"},

      // The NIC, its traffic and pcap replay.
      {"nic_ring",
       with_base("nic: {rx_descriptors: 12}\n"),
       {},
       "{file}:4: key 'nic.rx_descriptors': must be a multiple of 8, got 12"},
      {"nic_buffer",
       with_base("nic: {buffer_size: 768}\n"),
       {},
       "key 'nic.buffer_size': must be 256, 512, 1024 or 2048, got 768"},
      {"nic_itr",
       with_base("nic: {itr: 65536}\n"),
       {},
       "key 'nic.itr': must be between 0 and 65535, got 65536"},
      {"traffic_pattern",
       with_base("traffic: {pattern: tcp}\n"),
       {},
       "key 'traffic.pattern': expected constant, poisson, bursts or pcap, got 'tcp'"},
      {"traffic_line_rate",
       with_base("traffic: {line_rate_gbps: 5}\n"),
       {},
       "key 'traffic.line_rate_gbps': must be 1, 10 or 25, got 5"},
      {"traffic_frame",
       with_base("traffic: {frame_bytes: 59}\n"),
       {},
       "key 'traffic.frame_bytes': must be between 60 and 1514, got 59"},
      {"traffic_bursts",
       with_base("traffic: {pattern: bursts, burst_frames: 4}\n"),
       {},
       "key 'traffic': missing required key 'traffic.burst_period_ns'"},
      {"traffic_poisson_rate",
       with_base("traffic: {pattern: poisson}\n"),
       {},
       "key 'traffic.pattern': poisson traffic needs rate_pps above 0"},
      {"pcap_missing",
       with_base("traffic: {pattern: pcap, pcap: {file: missing.pcap}}\n"),
       {},
       "key 'traffic.pcap.file': {dir}/missing.pcap: not a readable pcap file"},
      {"pcap_directory",
       with_base("traffic: {pattern: pcap, pcap: {file: a-directory.yaml}}\n"),
       {},
       "key 'traffic.pcap.file': {dir}/a-directory.yaml: is a directory, expected a pcap file"},
      {"pcap_long_frame",
       with_base("traffic: {pattern: pcap, pcap: {file: long.pcap}}\n"),
       {},
       "key 'traffic.pcap.file': {dir}/long.pcap: record 2: 1515 bytes, longer than the longest "
       "frame"},
      {"pcap_link_type",
       with_base("traffic: {pattern: pcap, pcap: {file: raw-ip.pcap}}\n"),
       {},
       "{dir}/raw-ip.pcap: link type RAW"},
      {"pcap_truncated",
       with_base("traffic: {pattern: pcap, pcap: {file: cut.pcap}}\n"),
       {},
       "{dir}/cut.pcap: record 1: malformed or truncated"},
      {"pcap_snapped",
       with_base("traffic: {pattern: pcap, pcap: {file: snapped.pcap}}\n"),
       {},
       "{dir}/snapped.pcap: record 1: captured 60 of its 100 bytes"},
      // A replayed record's start, (t - t_first) x time_scale, is at most 8e18 ps
      // (models/net/traffic.h): (2^31 - 2) s = 2147483646000000000 ns is beyond it at scale
      // 1, and 10 s = 10^10 ns times 10^6 (10^19 ps) too; neither wraps.
      {"pcap_timestamp_beyond_replay",
       with_base("traffic: {pattern: pcap, pcap: {file: far.pcap}}\n"),
       {},
       "key 'traffic.pcap.file': {dir}/far.pcap: record 2: 2147483646000000000 ns after the first "
       "record, times time_scale 1, starts beyond 8e18 ps (about 93 days), the longest replay: "
       "lower time_scale or cut the capture"},
      {"pcap_time_scale_beyond_replay",
       with_base("traffic: {pattern: pcap, pcap: {file: ten-seconds.pcap, time_scale: 1000000}}\n"),
       {},
       "{dir}/ten-seconds.pcap: record 2: 10000000000 ns after the first record, times "
       "time_scale 1e+06, starts beyond 8e18 ps"},
      {"pcap_timing",
       with_base("traffic: {pattern: pcap, pcap: {file: good.pcap, timing: fast}}\n"),
       {},
       "key 'traffic.pcap.timing': expected timestamps or back_to_back, got 'fast'"},
      {"pcap_with_frame_bytes",
       with_base("traffic: {pattern: pcap, frame_bytes: 60, pcap: {file: good.pcap}}\n"),
       {},
       "key 'traffic.frame_bytes': only with traffic.pattern constant, poisson or bursts"},

      // The crypto engine, IPsec and ESP traffic.
      {"crypto_ring",
       with_base("crypto: {ring_entries: 48}\n"),
       {},
       "key 'crypto.ring_entries': must be a power of 2, got 48"},
      {"crypto_callback",
       with_base("crypto: {callback: later}\n"),
       {},
       "key 'crypto.callback': expected default, immediate, deferred or thread, got 'later'"},
      {"crypto_job_bytes",
       with_base("crypto: {max_job_bytes: 16385}\n"),
       {},
       "key 'crypto.max_job_bytes': must be between 1 and 16384, got 16385"},
      {"ipsec_alone",
       with_base("ipsec: {sa: []}\n"),
       {},
       "{file}:4: key 'ipsec': the ESP receive path needs a nic: and a crypto: block"},
      {"ipsec_spi",
       with_ipsec(""),
       {"ipsec.sa=[{spi: 255, key: 00, salt: 00}]"},
       "-c ipsec.sa=[{spi: 255, key: 00, salt: 00}]: key 'ipsec.sa[0].spi': must be between 256 "
       "and 4294967295, got 255"},
      {"ipsec_spi_twice",
       with_ipsec(
           "    - {spi: 4096, key: "
           "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f, salt: 01020304}\n"),
       {},
       "{file}:9: key 'ipsec.sa[1].spi': SPI 4096 is declared twice (also ipsec.sa[0])"},
      {"ipsec_key_length",
       with_ipsec("    - {spi: 4097, key: 0001, salt: 01020304}\n"),
       {},
       "key 'ipsec.sa[1].key': expected 64 hex digits (32 bytes), got 4 characters"},
      {"ipsec_salt_hex",
       with_ipsec(
           "    - {spi: 4097, key: "
           "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f, salt: zz010203}\n"),
       {},
       "key 'ipsec.sa[1].salt': 'z' (character 1) is not a hex digit"},
      {"ipsec_address",
       with_ipsec("  local_ip: 10.0.0.256\n"),
       {},
       "{file}:9: key 'ipsec.local_ip': expected an IPv4 address a.b.c.d (each 0..255), got "
       "'10.0.0.256'"},
      {"ipsec_rekey",
       with_ipsec("  rekey: {period_cycles: 100, hold_cycles: 100}\n"),
       {},
       "key 'ipsec.rekey.hold_cycles': must be below period_cycles (100)"},
      {"esp_without_ipsec",
       with_base("nic: {}\ntraffic: {payload: esp}\n"),
       {},
       "key 'traffic.payload': esp traffic needs an ipsec: block"},
      {"esp_payload_range",
       with_ipsec("", "traffic: {payload: esp, esp: {payload_bytes: 1438}}\n"),
       {},
       "key 'traffic.esp.payload_bytes': must be between 1 and 1437, got 1438"},
      {"esp_payload_inverted",
       with_ipsec("", "traffic: {payload: esp, esp: {payload_bytes: [100, 50]}}\n"),
       {},
       "key 'traffic.esp.payload_bytes[1]': must be at least min"},
      {"esp_payload_list",
       with_ipsec("", "traffic: {payload: esp, esp: {payload_bytes: [1, 2, 3]}}\n"),
       {},
       "key 'traffic.esp.payload_bytes': expected n or [min, max], got a list of 3"},
      {"esp_job_too_big",
       with_ipsec("", "traffic: {payload: esp, esp: {payload_bytes: 1024}}\n"),
       {"crypto.max_job_bytes=256"},
       "above crypto.max_job_bytes (256)"},
      {"esp_every_negative",
       with_ipsec("", "traffic: {payload: esp, esp: {bad_tag_every: -1}}\n"),
       {},
       "key 'traffic.esp.bad_tag_every': must not be negative, got '-1'"},
      {"esp_with_frame_bytes",
       with_ipsec("", "traffic: {payload: esp, frame_bytes: 100}\n"),
       {},
       "key 'traffic.frame_bytes': only with traffic.payload udp"},
      // The tune: block (docs/tune.md): a space with nothing to choose, an empty range, a
      // deadline on a source or metric results.json will not have, a key that is not tunable.
      {"tune_no_free_parameter",
       with_tune("  deadlines: [{metric: sources.a.latency.max, max: 100}]\n",
                 "    - {key: 'sources[a].priority', values: [3]}\n"),
       {},
       "{file}:9: key 'tune.space': the space has no free parameter"},
      {"tune_empty_range",
       with_tune("  deadlines: [{metric: sources.a.latency.max, max: 100}]\n",
                 "    - key: 'sources[a].priority'\n      range: {min: 5, max: 2}\n"),
       {},
       "{file}:10: key 'tune.space[0].range': the range is empty: min 5 is above max 2"},
      {"tune_unknown_source",
       with_tune("  deadlines: [{metric: sources.b.latency.p99, max: 100}]\n",
                 "    - {key: 'sources[a].priority', values: [1, 2]}\n"),
       {},
       "{file}:7: key 'tune.deadlines[0].metric': 'sources.b.latency.p99': no source named 'b' "
       "(the run's sources: ipi0, ipi1, a)"},
      {"tune_unknown_metric",
       with_tune("  deadlines: [{metric: sources.a.jitter.p99, max: 100}]\n",
                 "    - {key: 'sources[a].priority', values: [1, 2]}\n"),
       {},
       "{file}:7: key 'tune.deadlines[0].metric': 'sources.a.jitter.p99': unknown metric"},
      {"tune_unknown_statistic",
       with_tune("  deadlines: [{metric: sources.a.latency.p95, max: 100}]\n",
                 "    - {key: 'sources[a].priority', values: [1, 2]}\n"),
       {},
       "'sources.a.latency.p95': unknown statistic (expected one of: min, mean, p50, p90, p99, "
       "p99_9, max)"},
      {"tune_key_not_tunable",
       with_tune("  no_drops: true\n", "    - {key: platform.harts, values: [1, 2]}\n"),
       {},
       "{file}:9: key 'tune.space[0].key': 'platform.harts' is not tunable"},
      {"tune_priority_out_of_range",
       with_tune("  no_drops: true\n", "    - {key: 'sources[a].priority', values: [1, 8]}\n"),
       {},
       "{file}:9: key 'tune.space[0].values[1]': must be between 1 and 7 (sources[].priority), "
       "got 8"},

      // Expectations (docs/expectations.md): what can be judged before the run.
      {"expect_unknown_op",
       with_base("expect:\n  - \"nic.dropped =< 0\"\n"),
       {},
       "{file}:5: key 'expect[0]': unknown comparison '=<' (expected ==, !=, <, <=, > or >=)"},
      {"expect_unknown_op_explicit",
       with_base("expect:\n  - {metric: nic.dropped, op: \"~=\", value: 0}\n"),
       {},
       "{file}:5: key 'expect[0].op': unknown comparison '~=' (expected ==, !=, <, <=, > or >=)"},
      {"expect_no_op",
       with_base("expect:\n  - \"nic.dropped 0\"\n"),
       {},
       "{file}:5: key 'expect[0]': expected \"PATH OP VALUE\" with OP one of"},
      {"expect_no_value",
       with_base("expect:\n  - \"sources.nic.latency.p99 <=\"\n"),
       {},
       "{file}:5: key 'expect[0]': no value after '<='"},
      {"expect_no_value_explicit",
       with_base("expect:\n  - metric: sources.nic.latency.p99\n    op: \"<=\"\n"),
       {},
       "{file}:5: key 'expect[0]': missing required key 'expect[0].value'"},
      {"expect_null_value",
       with_base("expect:\n  - {metric: status, op: \"==\", value: ~}\n"),
       {},
       "{file}:5: key 'expect[0]': missing required key 'expect[0].value'"},
      {"expect_unknown_personality",
       with_base("expect:\n  - metric: ipsec.per_packet.fs\n    op: \"==\"\n"
                 "    value: {linux: 0, solaris: 3}\n"),
       {},
       "{file}:7: key 'expect[0].value.solaris': unknown personality 'solaris' (expected "
       "bsd43, freebsd, linux, netbsd or none)"},
      {"expect_list_value",
       with_base("expect:\n  - {metric: status, op: \"==\", value: [1, 2]}\n"),
       {},
       "{file}:5: key 'expect[0].value': expected a number, true, false or a quoted string, "
       "got a list"},
      {"expect_map_in_personality_value",
       with_base("expect:\n  - {metric: status, op: \"==\", value: {linux: {a: 1}}}\n"),
       {},
       "{file}:5: key 'expect[0].value.linux': expected a number, true, false or a quoted "
       "string, got a map"},
      {"expect_unquoted_word",
       with_base("expect:\n  - \"status == ok\"\n"),
       {},
       "{file}:5: key 'expect[0]': the value must be a number, true, false or a quoted string, "
       "got 'ok'"},
      {"expect_ordered_boolean",
       with_base("expect:\n  - {metric: nic.drops_match_counters, op: \"<\", value: true}\n"),
       {},
       "{file}:5: key 'expect[0].value': '<' orders numbers; a boolean is compared with == or !="},
      {"expect_empty_segment",
       with_base("expect:\n  - \"sources..latency.p99 < 5\"\n"),
       {},
       "{file}:5: key 'expect[0]': the metric path 'sources..latency.p99' has an empty segment"},
      {"expect_unknown_key",
       with_base("expect:\n  - {metric: status, op: \"==\", value: 1, tolerance: 2}\n"),
       {},
       "{file}:5: key 'expect[0].tolerance': unknown key (expected one of: metric, op, value)"},
      {"expect_in_override",
       with_base(""),
       {"expect=[\"status >= 'ok'\"]"},
       "-c expect=[\"status >= 'ok'\"]: key 'expect[0]': '>=' orders numbers; a string is "
       "compared with == or !="},
  };
}

std::string replace_all(std::string text, const std::string& token, const std::string& by) {
  for (std::size_t at = text.find(token); at != std::string::npos;
       at = text.find(token, at + by.size()))
    text.replace(at, token.size(), by);
  return text;
}

TEST(BadInput, EveryCaseOfTheTableGetsItsMessage) {
  write_pcaps();
  const std::vector<BadInput> cases = bad_inputs();
  EXPECT_GE(cases.size(), 60U);
  for (const BadInput& c : cases) {
    SCOPED_TRACE(c.name);
    const std::filesystem::path file =
        c.file.empty() ? scratch() / (std::string(c.name) + ".yaml") : c.file;
    if (c.file.empty()) std::ofstream(file) << c.text;
    std::string error = "no error";
    try {
      load_scenario(file, c.overrides);
    } catch (const ConfigError& e) {
      error = e.what();
    }
    const std::string expected =
        replace_all(replace_all(c.expected, "{file}", file.string()), "{dir}", scratch().string());
    EXPECT_NE(error.find(expected), std::string::npos)
        << "expected: " << expected << "\n     got: " << error;
    EXPECT_EQ(error.find('\n'), std::string::npos) << "a message is one line: " << error;
  }
}

TEST(BadInput, TheScenarioNameFromAFileNameIsCheckedToo) {
  const std::filesystem::path file = scratch() / "line\nbreak.yaml";
  std::ofstream(file) << with_base("");
  std::string error = "no error";
  try {
    load_scenario(file);
  } catch (const ConfigError& e) {
    error = e.what();
  }
  EXPECT_NE(error.find("the scenario's name defaults to its file's name, and a name must be "
                       "printable: character \\n"),
            std::string::npos)
      << error;
  EXPECT_EQ(error.find('\n'), std::string::npos) << error;
}

TEST(BadInput, PrintableNamesAndTheLimitsThemselvesAreAccepted) {
  // Non-ASCII printable UTF-8, and every limit's own value (the docs' ranges are inclusive).
  const std::filesystem::path file = scratch() / "limits.yaml";
  std::ofstream(file)
      << "name: \"Zürich λ 東京\"\nseed: 18446744073709551615\nduration_cycles: 1000000000000\n"
         "waves: {end: 2000000000}\n"
         "platform: {harts: 4, clock_period_ps: 10000000, memory_latency: 10000,"
         " bus: {request_cycles: 1000, response_cycles: 0}, instruction_cycles: 10000}\n"
         "kernel:\n  cost_profile: " +
             kCosts.string() +
             "\n  personality: [linux, netbsd]\n"
             "locks: [\"ß-lock\"]\nthreads:\n  - {name: \"wörker\", repeat: 4294967295, steps: "
             "[{kernel: "
             "1000000000000}]}\nsources:\n  - {source: 16, name: \"nic·0\", priority: 7, "
             "handler_cycles: "
             "1000000000000, cpus: [3], stimulus: {at: [999999999999], pulse_cycles: 1}}\n"
             "  - {source: 17, priority: 1, handler_cycles: 0, stimulus: {periodic: {start: 0, "
             "period: "
             "100000, count: 10000000}, random: {mean_gap: 0.5, count: 3, start: 999999999000}}}\n";
  const Scenario s = load_scenario(file);
  EXPECT_EQ(s.name, "Zürich λ 東京");
  EXPECT_EQ(s.seed, 18446744073709551615ULL);
  EXPECT_EQ(s.duration_cycles, 1'000'000'000'000ULL);
  EXPECT_EQ(s.workload.threads.at(0).repeat, 4294967295U);
  EXPECT_EQ(s.sources.at(0).name, "nic·0");
  EXPECT_EQ(load_scenario(file, {"seed=0"}).seed, 0U);
}

TEST(BadInput, EveryShippedScenarioIsStillAccepted) {
  std::size_t loaded = 0;
  for (const char* dir : {"scenarios", "bench/scenarios"})
    for (const auto& entry :
         std::filesystem::directory_iterator(std::filesystem::path(IRQLAB_SOURCE_DIR) / dir))
      if (entry.path().extension() == ".yaml") {
        SCOPED_TRACE(entry.path().string());
        EXPECT_NO_THROW(load_scenario(entry.path()));
        ++loaded;
      }
  EXPECT_GE(loaded, 6U);
}

// The binary: a bad input ends `irqlab run` with status 2 and the message on stderr.
struct Exit {
  int status = -1;
  std::string err;
};

Exit run_irqlab(const std::string& args) {
  const std::filesystem::path err = scratch() / "stderr.txt";
  const std::string command =
      std::string(IRQLAB_BINARY) + " " + args + " >/dev/null 2>" + err.string();
  const int status = std::system(command.c_str());
  std::ifstream in(err);
  std::stringstream text;
  text << in.rdbuf();
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, text.str()};
}

TEST(BadInput, TheBinaryExitsWithStatus2AndSaysWhy) {
  const std::filesystem::path file = scratch() / "binary_duplicate.yaml";
  std::ofstream(file) << with_base("seed: 1\nseed: 2\n");
  const std::string out = " --out " + (scratch() / "binary_out").string();
  Exit e = run_irqlab("run " + file.string() + out);
  EXPECT_EQ(e.status, 2) << e.err;
  EXPECT_NE(e.err.find(file.string() + ":5: key 'seed': given twice, at lines 4 and 5"),
            std::string::npos)
      << e.err;

  e = run_irqlab("run " +
                 (std::filesystem::path(IRQLAB_SOURCE_DIR) / "scenarios/default.yaml").string() +
                 " --seed -1" + out);
  EXPECT_EQ(e.status, 2) << e.err;
  EXPECT_NE(e.err.find("-c seed=-1: key 'seed': must not be negative, got '-1'"), std::string::npos)
      << e.err;
  EXPECT_FALSE(std::filesystem::exists(scratch() / "binary_out" / "results.json"));
}

}  // namespace bad_input_test
}  // namespace irqlab::cosim
