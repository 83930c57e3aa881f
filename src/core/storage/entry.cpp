#include "pm/storage/entry.hpp"

#include <algorithm>

namespace pm {

const std::vector<EntryKind>& entry_kinds() {
  static const std::vector<EntryKind> k_kinds = {
      {"agreement", "what was agreed with the client, in writing"},
      {"decision", "a decision taken by the team or the client"},
      {"change", "a change request of scope, dates or money"},
      {"change-decision", "one side's approval or rejection of a change request"},
      {"done", "what was done (status note)"},
      {"next", "what is planned next (status note)"},
      {"risk", "a risk: probability, impact, action, owner"},
      {"risk-close", "a risk closed, with a note"},
      {"nps", "a client's answer to the NPS question (0-10)"},
  };
  return k_kinds;
}

bool is_entry_kind(const std::string& name) {
  const auto& kinds = entry_kinds();
  return std::any_of(kinds.begin(), kinds.end(),
                     [&](const EntryKind& k) { return name == k.name; });
}

bool is_withdrawal(const Entry& e) {
  return e.source == "hook" && e.data.is_object() && e.data.contains("withdrawn") &&
         e.data["withdrawn"] == true;
}

std::string not_withdrawal_sql(const std::string& alias) {
  // Only hook entries can be withdrawals: the others never pay for json_extract.
  return "(" + alias + ".source <> 'hook' OR json_extract(" + alias +
         ".data, '$.withdrawn') IS NULL)";
}

const std::vector<std::string> k_sources = {"cli", "hook", "import"};

Json Entry::to_json() const {
  Json j;
  j["id"] = id;
  j["kind"] = kind;
  j["recorded_at"] = format_utc(recorded_at);
  j["effective_at"] = format_utc(effective_at);
  j["author"] = author;
  j["source"] = source;
  j["text"] = text;
  j["ref"] = ref ? Json(*ref) : Json(nullptr);
  j["due"] = due.empty() ? Json(nullptr) : Json(due);
  j["data"] = data;
  return j;
}

}  // namespace pm
