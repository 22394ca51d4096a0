#include "cli/unknown_subcommand.h"

#include <algorithm>
#include <vector>

namespace irqlab::cosim {

namespace {

// Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min(
          {d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

}  // namespace

std::optional<std::string> unknown_subcommand_message(const CLI::App& app, int argc,
                                                      const char* const* argv) {
  std::optional<std::string> word;
  for (int i = 1; i < argc && !word; ++i) {
    const std::string arg = argv[i];
    if (arg.empty() || arg[0] != '-') {
      word = arg;
    } else if (arg.find('=') == std::string::npos) {
      const CLI::Option* option = app.get_option_no_throw(arg);
      if (option != nullptr && option->get_expected_max() > 0) ++i;  // skip its value
    }
  }
  if (!word) return std::nullopt;

  std::string names;
  std::string likeliest;
  std::size_t best = 3;  // suggest only a name within two edits
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->check_name(*word)) return std::nullopt;
    names += (names.empty() ? "" : ", ") + sub->get_name();
    const std::size_t distance = edit_distance(*word, sub->get_name());
    if (distance < best) {
      best = distance;
      likeliest = sub->get_name();
    }
  }
  std::string message = "unknown subcommand '" + *word + "'";
  message += likeliest.empty() ? "." : "; did you mean '" + likeliest + "'?";
  message += " The subcommands are: " + names + ".";
  if (*word == "version") message += " The version: irqlab --version.";
  if (*word == "help") message += " Help: irqlab --help.";
  return message;
}

}  // namespace irqlab::cosim
