#include "ipl/ipl_table.h"

#include <initializer_list>
#include <utility>

namespace irqlab::kernel {

IplTable build_ipl_table(std::initializer_list<std::pair<const char*, bool>> levels, unsigned max) {
  IplTable table;
  for (const auto& [name, soft] : levels) table.push_back({name, soft, 0});
  unsigned threshold = max;
  for (auto it = table.rbegin(); it != table.rend() && it != table.rend() - 1; ++it)
    if (!it->soft) {
      it->threshold = threshold;
      threshold = threshold == 0 ? 0 : threshold - 1;
    }
  return table;
}

IplTable minimal_ipl_table(unsigned max) { return build_ipl_table({{"NONE", false}, {"HIGH", false}}, max); }

std::vector<std::string> validate_ipl_table(const IplTable& table, unsigned max) {
  std::vector<std::string> errors;
  if (table.empty()) return errors;
  if (table.size() > 32) errors.push_back("ipl table has more than 32 levels");
  if (table[0].soft || table[0].threshold != 0)
    errors.push_back("ipl level 0 (" + table[0].name + ") must be a hardware level with threshold 0");
  for (std::size_t i = 1; i < table.size(); ++i) {
    if (table[i].threshold < table[i - 1].threshold)
      errors.push_back("ipl level " + table[i].name + " masks less than the level below it");
    if (table[i].threshold > max)
      errors.push_back("ipl level " + table[i].name + " threshold " +
                       std::to_string(table[i].threshold) + " is above the PLIC maximum " +
                       std::to_string(max));
    if (table[i].soft && table[i].threshold != 0)
      errors.push_back("soft ipl level " + table[i].name + " must not mask hardware");
  }
  return errors;
}

}  // namespace irqlab::kernel
