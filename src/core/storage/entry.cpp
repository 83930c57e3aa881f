#include "pm/storage/entry.hpp"

#include <algorithm>

namespace pm {

const std::vector<EntryKind>& entry_kinds() {
  static const std::vector<EntryKind> k_kinds = {
      {"agreement", "what was agreed with the client, in writing", "A", "an agreement"},
      {"decision", "a decision taken by the team or the client", "D", "a decision"},
      {"change", "a change request of scope, dates or money", "C", "a change"},
      {"change-decision", "one side's approval or rejection of a change request", nullptr,
       "a change decision"},
      {"done", "what was done (status note)", nullptr, "a done note"},
      {"next", "what is planned next (status note)", nullptr, "a next note"},
      {"risk", "a risk: probability, impact, action, owner", "R", "a risk"},
      {"risk-close", "a risk closed, with a note", nullptr, "a risk's closing"},
      {"nps", "a client's answer to the NPS question (0-10)", nullptr, "an NPS answer"},
  };
  return k_kinds;
}

bool is_entry_kind(const std::string& name) {
  const auto& kinds = entry_kinds();
  return std::any_of(kinds.begin(), kinds.end(),
                     [&](const EntryKind& k) { return name == k.name; });
}

const EntryKind* find_entry_kind(const std::string& name) {
  for (const auto& k : entry_kinds()) {
    if (name == k.name) {
      return &k;
    }
  }
  return nullptr;
}

bool is_numbered_kind(const std::string& kind) {
  const EntryKind* k = find_entry_kind(kind);
  return k != nullptr && k->prefix != nullptr;
}

std::string kind_with_article(const std::string& kind) {
  if (const EntryKind* k = find_entry_kind(kind); k != nullptr && k->noun != nullptr) {
    return k->noun;
  }
  bool vowel = !kind.empty() && std::string("aeiou").find(kind[0]) != std::string::npos;
  return (vowel ? "an " : "a ") + kind;
}

const std::vector<std::string> k_sources = {"cli", "hook", "import"};

Json Entry::to_json() const {
  Json j;
  j["id"] = id;
  j["entry_id"] = id;
  j["number"] = number != 0 ? Json(number) : Json(nullptr);
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
