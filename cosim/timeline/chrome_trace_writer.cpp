#include "timeline/chrome_trace_writer.h"

#include <charconv>
#include <nlohmann/json.hpp>

namespace irqlab::cosim {

ChromeTraceWriter::ChromeTraceWriter(std::ostream& out, std::uint64_t clock_period_ps)
    : out_(out), clock_period_ps_(clock_period_ps) {
  out_ << "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[";
}

std::string ChromeTraceWriter::quoted(std::string_view text) {
  return nlohmann::json(std::string(text))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void ChromeTraceWriter::write_ts(Cycle cycle) {
  // Exact: picoseconds split into whole microseconds and a six-digit fraction.
  const std::uint64_t ps = cycle * clock_period_ps_;
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, ps / 1'000'000);
  const std::uint64_t fraction = ps % 1'000'000;
  if (fraction != 0) {
    *end++ = '.';
    char digits[6];
    std::uint64_t f = fraction;
    for (int i = 5; i >= 0; --i, f /= 10) digits[i] = static_cast<char>('0' + f % 10);
    int last = 5;
    while (digits[last] == '0') --last;
    for (int i = 0; i <= last; ++i) *end++ = digits[i];
  }
  out_.write(buffer, end - buffer);
}

void ChromeTraceWriter::open_event(char phase, unsigned pid, Cycle cycle) {
  out_ << (first_ ? "\n{\"ph\":\"" : ",\n{\"ph\":\"") << phase << "\",\"pid\":" << pid
       << ",\"ts\":";
  first_ = false;
  write_ts(cycle);
}

void ChromeTraceWriter::process_name(unsigned pid, std::string_view name, int sort_index) {
  out_ << (first_ ? "\n" : ",\n");
  first_ = false;
  out_ << "{\"ph\":\"M\",\"pid\":" << pid
       << ",\"name\":\"process_name\",\"args\":{\"name\":" << quoted(name)
       << "}},\n{\"ph\":\"M\",\"pid\":" << pid
       << ",\"name\":\"process_sort_index\",\"args\":{\"sort_index\":" << sort_index << "}}";
}

void ChromeTraceWriter::thread_name(unsigned pid, unsigned tid, std::string_view name,
                                    int sort_index) {
  out_ << (first_ ? "\n" : ",\n");
  first_ = false;
  out_ << "{\"ph\":\"M\",\"pid\":" << pid << ",\"tid\":" << tid
       << ",\"name\":\"thread_name\",\"args\":{\"name\":" << quoted(name)
       << "}},\n{\"ph\":\"M\",\"pid\":" << pid << ",\"tid\":" << tid
       << ",\"name\":\"thread_sort_index\",\"args\":{\"sort_index\":" << sort_index << "}}";
}

void ChromeTraceWriter::begin(unsigned pid, unsigned tid, Cycle cycle, std::string_view name,
                              std::string_view args) {
  open_event('B', pid, cycle);
  out_ << ",\"tid\":" << tid << ",\"name\":" << name << ",\"args\":{\"cycle\":" << cycle;
  if (!args.empty()) out_ << ',' << args;
  out_ << "}}";
}

void ChromeTraceWriter::end(unsigned pid, unsigned tid, Cycle cycle) {
  open_event('E', pid, cycle);
  out_ << ",\"tid\":" << tid << ",\"args\":{\"end_cycle\":" << cycle << "}}";
}

void ChromeTraceWriter::instant(unsigned pid, unsigned tid, Cycle cycle, std::string_view name,
                                std::string_view args) {
  open_event('i', pid, cycle);
  out_ << ",\"tid\":" << tid << ",\"s\":\"t\",\"name\":" << name
       << ",\"args\":{\"cycle\":" << cycle;
  if (!args.empty()) out_ << ',' << args;
  out_ << "}}";
}

void ChromeTraceWriter::counter(unsigned pid, Cycle cycle, std::string_view name,
                                std::uint64_t value) {
  open_event('C', pid, cycle);
  out_ << ",\"name\":" << name << ",\"args\":{\"value\":" << value << "}}";
}

void ChromeTraceWriter::flow_start(unsigned pid, unsigned tid, Cycle cycle, std::string_view name,
                                   std::uint64_t id) {
  open_event('s', pid, cycle);
  out_ << ",\"tid\":" << tid << ",\"cat\":\"flow\",\"name\":" << name << ",\"id\":" << id << '}';
}

void ChromeTraceWriter::flow_finish(unsigned pid, unsigned tid, Cycle cycle, std::string_view name,
                                    std::uint64_t id) {
  open_event('f', pid, cycle);
  out_ << ",\"tid\":" << tid << ",\"cat\":\"flow\",\"name\":" << name << ",\"id\":" << id << '}';
}

void ChromeTraceWriter::close() { out_ << "\n]}\n"; }

}  // namespace irqlab::cosim
