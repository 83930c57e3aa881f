// NPS arithmetic: categories, shares, the score and its margin of error; groups and gaps.
#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include <fmt/format.h>

#include "nps_writer.hpp"
#include "pm/util/error.hpp"

namespace pm {

namespace {

struct ByName {
  NpsBy by;
  const char* name;
};

/// Every grouping, as data: parsing, help and errors come from here.
const ByName k_by_names[] = {
    {NpsBy::total, "total"},     {NpsBy::client, "client"},   {NpsBy::manager, "manager"},
    {NpsBy::month, "month"},     {NpsBy::quarter, "quarter"}, {NpsBy::project, "project"},
};

/// A period key back to its first month: "2026-11" → (2026, 11), "2026-Q4" → (2026, 10).
std::pair<int, int> period_start(const std::string& key) {
  int year = std::stoi(key.substr(0, 4));
  if (key.size() == 7 && key[5] == 'Q') {
    return {year, (key[6] - '1') * 3 + 1};
  }
  return {year, std::stoi(key.substr(5, 2))};
}

}  // namespace

int detail::score_value(std::string_view text) {
  std::string_view t = text;
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) {
    t.remove_prefix(1);
  }
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) {
    t.remove_suffix(1);
  }
  int value = -1;
  if (!t.empty() && t.size() <= 2 &&
      std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    value = t.size() == 1 ? t[0] - '0' : (t[0] - '0') * 10 + (t[1] - '0');
  }
  return value <= 10 ? value : -1;
}

int parse_score(std::string_view text, std::string_view what) {
  int value = detail::score_value(text);
  if (value < 0) {
    std::string shown(text.substr(0, 40));
    for (char& c : shown) {
      if (c == '\n' || c == '\r') {
        c = ' ';
      }
    }
    throw Error(fmt::format("{}: '{}' is not a score from 0 to 10", what, shown));
  }
  return value;
}

const char* nps_category(int score) {
  return score >= 9 ? "promoter" : score >= 7 ? "passive" : "detractor";
}

void NpsCounts::add(int score, std::int64_t count) {
  (score >= 9 ? promoters : score >= 7 ? passives : detractors) += count;
}

NpsCounts& NpsCounts::operator+=(const NpsCounts& other) {
  promoters += other.promoters;
  passives += other.passives;
  detractors += other.detractors;
  return *this;
}

NpsFigure nps_figure(const NpsCounts& counts) {
  NpsFigure f;
  f.counts = counts;
  f.n = counts.n();
  f.reliable = f.n >= k_nps_min_reliable;
  if (f.n == 0) {
    return f;
  }
  // From the counts rather than from rounded shares: 5/3/2 gives exactly 30.
  auto n = static_cast<double>(f.n);
  auto p = static_cast<double>(counts.promoters);
  auto d = static_cast<double>(counts.detractors);
  f.promoters_pct = 100.0 * p / n;
  f.passives_pct = 100.0 * static_cast<double>(counts.passives) / n;
  f.detractors_pct = 100.0 * d / n;
  f.nps = 100.0 * (p - d) / n;
  // (p + d - (p - d)^2) / n with shares p, d: ((P + D) n - (P - D)^2) / n^3 in counts.
  double variance = std::max(0.0, ((p + d) * n - (p - d) * (p - d)) / (n * n * n));
  f.margin = 1.96 * 100.0 * std::sqrt(variance);
  return f;
}

Json nps_figure_json(const NpsFigure& f) {
  auto value = [&](double v) { return f.n == 0 ? Json(nullptr) : Json(v); };
  Json j;
  j["answers"] = f.n;
  j["promoters"] = f.counts.promoters;
  j["passives"] = f.counts.passives;
  j["detractors"] = f.counts.detractors;
  j["promoters_pct"] = value(f.promoters_pct);
  j["passives_pct"] = value(f.passives_pct);
  j["detractors_pct"] = value(f.detractors_pct);
  j["nps"] = value(f.nps);
  j["margin_of_error"] = value(f.margin);
  j["reliable"] = f.reliable;
  return j;
}

std::string whole_points(double value) {
  return std::to_string(std::lround(value));
}

std::string nps_bar(std::optional<double> nps, int half) {
  int cells = nps ? static_cast<int>(std::lround(std::clamp(*nps, -100.0, 100.0) / 10.0)) : 0;
  cells = std::clamp(cells, -half, half);
  std::string out;
  for (int i = -half; i < 0; ++i) {
    out += cells <= i ? "█" : " ";
  }
  out += "│";
  for (int i = 1; i <= half; ++i) {
    out += cells >= i ? "█" : " ";
  }
  return out;
}

NpsBy parse_nps_by(const std::string& name) {
  std::string choices;
  for (const auto& row : k_by_names) {
    if (name == row.name) {
      return row.by;
    }
    if (row.by != NpsBy::total) {
      choices += (choices.empty() ? "" : ", ") + std::string(row.name);
    }
  }
  throw Error(fmt::format("--by {}: group by one of {}", name, choices));
}

const char* nps_by_name(NpsBy by) {
  for (const auto& row : k_by_names) {
    if (row.by == by) {
      return row.name;
    }
  }
  return "total";
}

void merge_nps_groups(std::vector<NpsGroup>& into, const std::vector<NpsGroup>& from) {
  std::map<std::string, NpsCounts> merged;
  for (const std::vector<NpsGroup>* groups : {&std::as_const(into), &from}) {
    for (const auto& g : *groups) {
      merged[g.key] += g.counts;
    }
  }
  into.clear();
  for (auto& [key, counts] : merged) {
    into.push_back(NpsGroup{key, counts});
  }
}

void fill_nps_gaps(std::vector<NpsGroup>& groups, NpsBy by) {
  if ((by != NpsBy::month && by != NpsBy::quarter) || groups.size() < 2) {
    return;
  }
  int step = by == NpsBy::month ? 1 : 3;
  auto [year, month] = period_start(groups.front().key);
  auto last = period_start(groups.back().key);
  std::vector<NpsGroup> filled;
  std::size_t next = 0;
  while (std::make_pair(year, month) <= last) {
    std::string key = by == NpsBy::month ? fmt::format("{:04}-{:02}", year, month)
                                         : fmt::format("{:04}-Q{}", year, (month - 1) / 3 + 1);
    if (next < groups.size() && groups[next].key == key) {
      filled.push_back(groups[next++]);
    } else {
      filled.push_back(NpsGroup{key, {}});
    }
    month += step;
    if (month > 12) {
      month -= 12;
      ++year;
    }
  }
  groups = std::move(filled);
}

}  // namespace pm
