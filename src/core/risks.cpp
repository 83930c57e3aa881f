#include "pm/risks.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "pm/error.hpp"
#include "pm/text.hpp"

namespace pm {

const std::vector<std::string> k_risk_levels = {"low", "medium", "high"};

namespace {

std::string level(const std::string& text, const char* option) {
  if (std::find(k_risk_levels.begin(), k_risk_levels.end(), text) == k_risk_levels.end()) {
    throw Error(fmt::format("{} '{}': use low, medium or high", option, text));
  }
  return text;
}

Risk risk_from(const Entry& e) {
  auto text = [&](const char* key) {
    auto it = e.data.find(key);
    return it != e.data.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  return Risk{e, text("probability"), text("impact"), text("action"), text("owner"), std::nullopt};
}

}  // namespace

EntryId add_risk(Ledger& ledger, const RiskInput& input, Instant now) {
  Entry e;
  e.kind = "risk";
  e.text = trimmed(input.text);
  if (e.text.empty()) {
    throw Error("the risk has no text; say what may go wrong, e.g. pm risk add \"Texts may come "
                "late\" --probability high --impact medium");
  }
  e.recorded_at = now;
  e.effective_at = now;
  e.author = input.author;
  e.data["probability"] = level(input.probability, "--probability");
  e.data["impact"] = level(input.impact, "--impact");
  std::string action = trimmed(input.action);
  std::string owner = trimmed(input.owner);
  e.data["action"] = action.empty() ? Json(nullptr) : Json(action);
  e.data["owner"] = owner.empty() ? Json(nullptr) : Json(owner);
  return ledger.append(e);
}

EntryId close_risk(Ledger& ledger, EntryId id, const std::string& note, const std::string& author,
                   Instant now) {
  auto risk = ledger.find(id);
  if (!risk) {
    throw Error(fmt::format("there is no risk {}; pm risk list --all shows them", id));
  }
  if (risk->kind != "risk") {
    throw Error(fmt::format("entry {} is a {}, not a risk; pm risk list --all shows the risks", id,
                            risk->kind));
  }
  EntryQuery q;
  q.kinds = {"risk-close"};
  q.ref = id;
  if (auto closes = ledger.list(q); !closes.empty()) {
    throw Error(fmt::format("risk {} is already closed (by entry {}); pm risk list --all shows it",
                            id, closes.front().id));
  }
  Entry e;
  e.kind = "risk-close";
  e.ref = id;
  e.text = trimmed(note);
  e.recorded_at = now;
  e.effective_at = now;
  e.author = author;
  return ledger.append(e);
}

std::vector<Risk> list_risks(Ledger& ledger, bool all) {
  EntryQuery q;
  q.kinds = {"risk"};
  std::vector<Risk> risks;
  for (const auto& e : ledger.list(q)) {
    risks.push_back(risk_from(e));
  }
  q.kinds = {"risk-close"};
  std::map<EntryId, Entry> closes;
  for (auto& e : ledger.list(q)) {
    if (e.ref && closes.count(*e.ref) == 0) {
      closes.emplace(*e.ref, std::move(e));
    }
  }
  std::vector<Risk> out;
  for (auto& r : risks) {
    if (auto it = closes.find(r.entry.id); it != closes.end()) {
      r.closed = it->second;
    }
    if (all || !r.closed) {
      out.push_back(std::move(r));
    }
  }
  return out;
}

std::vector<Risk> open_risks(Ledger& ledger, Instant as_of) {
  EntryQuery q;
  q.kinds = {"risk"};
  q.effective_until = as_of;
  q.open_only = true;
  std::vector<Risk> out;
  for (const auto& e : ledger.list(q)) {
    out.push_back(risk_from(e));
  }
  return out;
}

}  // namespace pm
