#include "pm/storage/entry.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "pm/util/check.hpp"
#include "pm/util/error.hpp"
#include "pm/util/text.hpp"

namespace pm {

const std::vector<EntryKind>& entry_kinds() {
  static const std::vector<EntryKind> k_kinds = {
      {"agreement", "what was agreed with the client, in writing", "A", "an agreement"},
      {"decision", "a decision taken by the team or the client", "D", "a decision"},
      {"agreement-state", "an agreement confirmed, disputed, fulfilled or withdrawn", nullptr,
       "an agreement's transition"},
      {"change", "a change request of scope, dates or money", "C", "a change"},
      {"change-decision", "one side's approval or rejection of a change request", nullptr,
       "a change decision"},
      {"done", "what was done (status note)", nullptr, "a done note"},
      {"next", "what is planned next (status note)", nullptr, "a next note"},
      {"risk", "a risk: probability, impact, action, owner", "R", "a risk"},
      {"risk-close", "a risk closed, with a note", nullptr, "a risk's closing"},
      {"reminder", "something to do on a day: pm today lists it when it falls due", "T",
       "a reminder"},
      {"reminder-done", "a reminder marked done", nullptr, "a reminder's end"},
      {"letter", "a letter to the client: sent, produced or seen in Sent; its template, "
       "recipients, subject and Message-ID", nullptr, "a letter"},
      {"request", "a client's request that awaits a reply: a letter, a call, a chat message",
       "I", "a request"},
      {"reply", "the reply to a client's request (its time is the SLA's reply time)", nullptr,
       "a reply"},
      {"escalation", "a request or a problem escalated along the escalation route", nullptr,
       "an escalation"},
      {"nps", "a client's answer to the NPS question (0-10)", nullptr, "an NPS answer"},
      {"nps-import", "NPS answers imported from a survey export: the answers are rows of "
       "nps_answers, and the entry's data holds their digest", nullptr, "an NPS import"},
      {"meeting", "a meeting with the client: when, who, the topic", "M", "a meeting"},
      {"question", "an open question, raised at a meeting or between meetings", "Q",
       "a question"},
      {"question-answer", "the answer that closes an open question", nullptr,
       "a question's answer"},
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

std::string data_text_sql(const std::string& alias, const char* key) {
  return fmt::format("coalesce({}.data ->> '$.{}', '')", alias, key);
}

std::string data_integer_sql(const std::string& alias, const char* key) {
  return fmt::format("{}.data ->> '$.{}'", alias, key);
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

const std::vector<std::string> k_sources = {"cli", "hook", "import", "mail"};

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

namespace pm {

namespace {

void check_strings(const Json& value, const std::string& path) {
  if (value.is_string()) {
    check_text(fmt::format("the entry's {}", path), value.get_ref<const std::string&>());
  } else if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      check_line("a key of the entry's data", key);
      check_strings(item, path + "." + key);
    }
  } else if (value.is_array()) {
    for (const auto& item : value) {
      check_strings(item, path + "[]");
    }
  }
}

/// Serialized data: UTF-8, and no control but LF and TAB, raw or escaped (\b, \u001b).
void check_serialized(const std::string& json) {
  check_text("the entry's data", json, Exit::error, k_text_limit * 4);
  for (std::size_t i = json.find('\\'); i != std::string::npos && i + 1 < json.size();
       i = json.find('\\', i + 2)) {
    const char c = json[i + 1];
    bool control = c == 'b' || c == 'f' || c == 'r';
    if (c == 'u' && i + 5 < json.size()) {
      const std::string hex = ascii_lower(json.substr(i + 2, 4));
      control = (hex.starts_with("00") && hex != "000a" && hex != "0009" &&
                 (hex[2] < '2' || hex == "007f" || hex[2] == '8' || hex[2] == '9'));
    }
    if (control) {
      throw Error("the entry's data: holds an escaped control character; only line breaks and "
                  "tabs are allowed");
    }
  }
}

}  // namespace

void check_entry(const Entry& entry, const std::string* data_json) {
  check_line("the entry's kind", entry.kind);
  check_line("the entry's author", entry.author);
  check_line("the entry's source", entry.source);
  check_line("the entry's due date", entry.due);
  check_text("the entry's text", entry.text);
  if (data_json != nullptr) {
    check_serialized(*data_json);
  } else {
    check_strings(entry.data, "data");
  }
}

}  // namespace pm
