#include "cli/tags.hpp"

#include <algorithm>

#include "pm/util/text.hpp"

namespace pm::cli {

namespace {

bool same(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto low = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
           return low(x) == low(y);
         });
}

}  // namespace

std::string tags_text(const Entry& entry) {
  auto it = entry.data.find("tags");
  if (it == entry.data.end() || !it->is_array()) {
    return {};
  }
  return join_json(*it);
}

bool has_tags(const Entry& entry, const std::vector<std::string>& wanted) {
  if (wanted.empty()) {
    return true;
  }
  auto it = entry.data.find("tags");
  if (it == entry.data.end() || !it->is_array()) {
    return false;
  }
  return std::all_of(wanted.begin(), wanted.end(), [&](const std::string& tag) {
    return std::any_of(it->begin(), it->end(), [&](const Json& t) {
      return t.is_string() && same(t.get_ref<const std::string&>(), tag);
    });
  });
}

void add_tag_filter(CLI::App* cmd, std::vector<std::string>& tags) {
  cmd->add_option("--tag", tags, "Only those tagged TAG (repeatable: all of them)")
      ->option_text("TAG");
}

}  // namespace pm::cli
