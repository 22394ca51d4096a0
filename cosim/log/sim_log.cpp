#include "log/sim_log.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace irqlab::cosim {

namespace {

std::function<kernel::Cycle()> g_now = [] { return kernel::Cycle{0}; };

class CycleFlag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg&, const std::tm&, spdlog::memory_buf_t& dest) override {
    const std::string text = std::to_string(g_now());
    dest.append(text.data(), text.data() + text.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<CycleFlag>(); }
};

}  // namespace

void set_log_clock(std::function<kernel::Cycle()> now) { g_now = std::move(now); }

void init_logging(const std::string& level, std::function<kernel::Cycle()> now) {
  set_log_clock(std::move(now));
  auto logger = spdlog::stderr_color_mt("irqlab");
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<CycleFlag>('C').set_pattern("[cycle %C] %^%l%$: %v");
  logger->set_formatter(std::move(formatter));
  logger->set_level(spdlog::level::from_str(level));
  spdlog::set_default_logger(logger);
}

}  // namespace irqlab::cosim
