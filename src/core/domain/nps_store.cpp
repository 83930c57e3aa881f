// NPS answers in the ledger: recording one (pm nps add), and counting them per group in SQL.
#include <algorithm>
#include <map>
#include <optional>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "nps_writer.hpp"
#include "pm/util/error.hpp"
#include "pm/util/json.hpp"

namespace pm {

namespace detail {

bool is_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (length == 0 || c > 0xF4 || i + length > text.size()) {
      return false;
    }
    auto second = static_cast<unsigned char>(text[i + 1]);
    if ((c == 0xE0 && second < 0xA0) || (c == 0xED && second > 0x9F) ||
        (c == 0xF0 && second < 0x90) || (c == 0xF4 && second > 0x8F)) {
      return false;  // overlong, a surrogate, or beyond U+10FFFF
    }
    for (std::size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) {
        return false;
      }
    }
    i += length;
  }
  return true;
}

std::string_view trim(std::string_view text) {
  const char* k_space = " \t\r\n";
  std::size_t start = text.find_first_not_of(k_space);
  if (start == std::string_view::npos) {
    return {};
  }
  return text.substr(start, text.find_last_not_of(k_space) - start + 1);
}

std::string name_problem(std::string_view text) {
  if (!is_utf8(text)) {
    return "not valid UTF-8; save the file (or type the name) as UTF-8";
  }
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      return "a name cannot hold a line break or a control character";
    }
  }
  return {};
}

std::string nps_data_json(const NpsAnswer& a, const std::string& day,
                          std::optional<std::int64_t> fingerprint) {
  // What Json::dump() gives for the same ordered object, built without a Json tree: an import
  // writes one per row (test_nps_store checks that the two agree).
  std::string out;
  out.reserve(128 + a.client.size() + a.contact.size() + a.manager.size());
  out += "{\"score\":";
  out += std::to_string(a.score);
  out += ",\"date\":";
  append_json_string(out, day);
  out += ",\"client\":";
  append_json_string(out, a.client);
  out += ",\"contact\":";
  append_json_string(out, a.contact);
  out += ",\"manager\":";
  append_json_string(out, a.manager);
  out += ",\"fingerprint\":";
  if (fingerprint) {
    static const char k_hex[] = "0123456789abcdef";
    std::string hex(16, '0');
    auto bits = static_cast<std::uint64_t>(*fingerprint);
    for (int i = 15; i >= 0; --i, bits >>= 4) {
      hex[static_cast<std::size_t>(i)] = k_hex[bits & 0xF];
    }
    append_json_string(out, hex);
  } else {
    out += "null";
  }
  out += '}';
  return out;
}

}  // namespace detail

EntryId add_nps_answer(Ledger& ledger, const NpsAnswer& answer, const NpsWriteContext& context) {
  if (answer.score < 0 || answer.score > 10) {
    throw Error(fmt::format("score: '{}' is not a score from 0 to 10", answer.score));
  }
  for (const auto& [what, value] : {std::pair{"--client", &answer.client},
                                    std::pair{"--contact", &answer.contact},
                                    std::pair{"--manager", &answer.manager}}) {
    if (std::string problem = detail::name_problem(*value); !problem.empty()) {
      throw Error(fmt::format("{}: {}", what, problem));
    }
  }
  if (!detail::is_utf8(answer.comment)) {
    throw Error("--comment: not valid UTF-8");
  }
  EntryId id = 0;
  try {
    WriteTransaction tx(ledger);
    const std::string day = format_date(answer.date);
    Entry entry;
    entry.kind = "nps";
    entry.recorded_at = context.now;
    entry.effective_at = answer.at ? *answer.at : start_of_day(answer.date, context.zone);
    entry.author = context.author;
    entry.source = context.source;
    entry.text = answer.comment;
    // The entry carries every field, so the row can always be rebuilt from the entries.
    const std::string data = detail::nps_data_json(answer, day, std::nullopt);
    id = ledger.append_in_transaction(entry, &data);
    SQLite::Statement insert(ledger.db(),
                             "INSERT INTO nps_answers (entry_id, answered_on, score, client, "
                             "contact, manager) VALUES (?, ?, ?, ?, ?, ?)");
    insert.bind(1, static_cast<int64_t>(id));
    insert.bind(2, day);
    insert.bind(3, answer.score);
    insert.bind(4, answer.client);
    insert.bind(5, answer.contact);
    insert.bind(6, answer.manager);
    insert.exec();
    tx.commit();
  } catch (const std::exception& e) {
    rethrow_sqlite(e, ledger.path(), "write to");
  }
  return id;
}

namespace {

/// " WHERE answered_on >= :since AND answered_on <= :until", as much as the period needs.
std::string period_clause(const NpsPeriod& period) {
  std::string sql;
  if (period.since) {
    sql += " WHERE answered_on >= :since";
  }
  if (period.until) {
    sql += period.since ? " AND" : " WHERE";
    sql += " answered_on <= :until";
  }
  return sql;
}

/// "2026-11" → "2026-Q4".
std::string quarter_of(const std::string& month_key) {
  int month = (month_key[5] - '0') * 10 + (month_key[6] - '0');
  return fmt::format("{}-Q{}", month_key.substr(0, 4), (month - 1) / 3 + 1);
}

}  // namespace

std::vector<NpsGroup> nps_groups(Ledger& ledger, NpsBy by, const NpsPeriod& period) {
  // One pass over the covering index in its own order: GROUP BY a prefix of it needs no sort
  // and no temporary table, however many answers there are. SQLite returns at most one row
  // per day and score (and manager, or manager and client); they are folded here.
  const char* key = "answered_on";
  const char* group = "answered_on, score";
  if (by == NpsBy::manager) {
    key = "manager";
    group = "answered_on, score, manager";
  } else if (by == NpsBy::client) {
    key = "client";
    group = "answered_on, score, manager, client";
  }
  std::string sql = fmt::format("SELECT {}, score, count(*) FROM nps_answers INDEXED BY "
                                "nps_answers_breakdown{} GROUP BY {}",
                                key, period_clause(period), group);
  std::map<std::string, NpsCounts> folded;
  try {
    SQLite::Statement stmt(ledger.db(), sql);
    if (period.since) {
      stmt.bind(":since", format_date(*period.since));
    }
    if (period.until) {
      stmt.bind(":until", format_date(*period.until));
    }
    bool by_period = by == NpsBy::month || by == NpsBy::quarter;
    bool by_name = by == NpsBy::client || by == NpsBy::manager;
    std::string last;
    NpsCounts* counts = nullptr;
    while (stmt.executeStep()) {
      std::string_view value = by_name ? stmt.getColumn(0).getText()
                               : by_period ? std::string_view(stmt.getColumn(0).getText()).substr(0, 7)
                                           : std::string_view();
      if (counts == nullptr || value != last) {
        last = value;
        counts = &folded[by == NpsBy::quarter ? quarter_of(last) : last];
      }
      counts->add(stmt.getColumn(1).getInt(), stmt.getColumn(2).getInt64());
    }
  } catch (const std::exception& e) {
    rethrow_sqlite(e, ledger.path(), "read");
  }
  if (by == NpsBy::total || by == NpsBy::project) {
    folded.try_emplace(std::string());
  }
  std::vector<NpsGroup> groups;
  for (auto& [k, counts] : folded) {
    groups.push_back(NpsGroup{k, counts});
  }
  return groups;
}

}  // namespace pm
