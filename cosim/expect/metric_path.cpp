#include "expect/metric_path.h"

#include <algorithm>
#include <numeric>

namespace irqlab::cosim::expect {

namespace {

using nlohmann::ordered_json;

std::vector<std::string_view> segments_of(std::string_view path) {
  std::vector<std::string_view> out;
  for (std::size_t begin = 0;;) {
    const std::size_t dot = path.find('.', begin);
    out.push_back(path.substr(begin, dot == std::string_view::npos ? dot : dot - begin));
    if (dot == std::string_view::npos) return out;
    begin = dot + 1;
  }
}

// Segments [first, last] joined back with their dots.
std::string joined(const std::vector<std::string_view>& segments, std::size_t first,
                   std::size_t last) {
  std::string out(segments[first]);
  for (std::size_t i = first + 1; i <= last; ++i) out += "." + std::string(segments[i]);
  return out;
}

// The element of `array` named `name`, or null.
const ordered_json* element_named(const ordered_json& array, const std::string& name) {
  for (const ordered_json& e : array)
    if (e.is_object()) {
      const auto n = e.find("name");
      if (n != e.end() && n->is_string() && n->get_ref<const std::string&>() == name) return &e;
    }
  return nullptr;
}

// A decimal index inside `array`, or null.
const ordered_json* element_at(const ordered_json& array, std::string_view index) {
  if (index.empty() || index.size() > 9 ||
      !std::all_of(index.begin(), index.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return nullptr;
  const std::size_t i = std::stoul(std::string(index));
  return i < array.size() ? &array[i] : nullptr;
}

const ordered_json* find_from(const ordered_json& node,
                              const std::vector<std::string_view>& segments, std::size_t first) {
  if (first == segments.size()) return &node;
  if (!node.is_object() && !node.is_array()) return nullptr;
  // A key or a name may hold dots: try the segment alone, then with the ones after it.
  for (std::size_t last = first; last < segments.size(); ++last) {
    const std::string name = joined(segments, first, last);
    const ordered_json* child = nullptr;
    if (node.is_object()) {
      const auto it = node.find(name);
      if (it != node.end()) child = &*it;
    } else {
      child = element_named(node, name);
    }
    if (child != nullptr)
      if (const ordered_json* found = find_from(*child, segments, last + 1)) return found;
  }
  if (node.is_array())
    if (const ordered_json* child = element_at(node, segments[first]))
      return find_from(*child, segments, first + 1);
  return nullptr;
}

void collect(const ordered_json& node, const std::string& path, std::vector<std::string>& out) {
  const auto below = [&path](const std::string& segment) {
    return path.empty() ? segment : path + "." + segment;
  };
  if (node.is_object()) {
    for (const auto& [key, child] : node.items()) collect(child, below(key), out);
  } else if (node.is_array()) {
    for (std::size_t i = 0; i < node.size(); ++i) {
      const ordered_json& e = node[i];
      if (e.is_array()) continue;
      const auto name = e.is_object() ? e.find("name") : e.end();
      collect(e,
              below(e.is_object() && name != e.end() && name->is_string() ? name->get<std::string>()
                                                                          : std::to_string(i)),
              out);
    }
  } else if (!node.is_null()) {
    out.push_back(path);
  }
}

}  // namespace

const ordered_json* find_metric(const ordered_json& doc, std::string_view path) {
  return find_from(doc, segments_of(path), 0);
}

std::vector<std::string> value_paths(const ordered_json& doc) {
  std::vector<std::string> out;
  collect(doc, "", out);
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::vector<std::string> nearest_paths(const std::vector<std::string>& paths, std::string_view path,
                                       std::size_t count) {
  std::vector<std::pair<std::size_t, std::size_t>> ranked;  // distance, index in `paths`
  ranked.reserve(paths.size());
  for (std::size_t i = 0; i < paths.size(); ++i)
    ranked.emplace_back(edit_distance(path, paths[i]), i);
  const std::size_t n = std::min(count, ranked.size());
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(n), ranked.end());
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(paths[ranked[i].second]);
  return out;
}

}  // namespace irqlab::cosim::expect
