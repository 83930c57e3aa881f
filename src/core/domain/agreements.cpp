#include "pm/domain/agreements.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <pwd.h>
#include <unistd.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "pm/time/date_expression.hpp"
#include "pm/util/check.hpp"
#include "pm/domain/numbers.hpp"
#include "pm/util/error.hpp"
#include "pm/util/git_config.hpp"
#include "pm/util/text.hpp"

namespace pm {

namespace {

std::string git_user_name() {
  // Reading git's files directly spares every writing command a git process (about 2 ms).
  if (auto name = read_git_config("user", "name", std::filesystem::current_path())) {
    return trimmed(*name);
  }
  FILE* pipe = ::popen("git config user.name 2>/dev/null", "r");
  if (pipe == nullptr) {
    return "";
  }
  char buffer[256];
  std::string out;
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) {
    out += buffer;
  }
  ::pclose(pipe);
  return trimmed(out);
}

}  // namespace

std::string resolve_author(const std::string& explicit_author) {
  // The author goes into every entry and letter: one line of UTF-8, whichever source gave it.
  if (!explicit_author.empty()) {
    check_line("--author", explicit_author, Exit::usage);
    return explicit_author;
  }
  if (const char* env = std::getenv("PM_AUTHOR"); env != nullptr && *env != '\0') {
    check_line("PM_AUTHOR", env, Exit::usage);
    return env;
  }
  if (std::string git = git_user_name(); !git.empty()) {
    check_line("git's user.name", git);
    return git;
  }
  if (const passwd* pw = ::getpwuid(::getuid()); pw != nullptr && pw->pw_name != nullptr) {
    return pw->pw_name;
  }
  if (const char* user = std::getenv("USER"); user != nullptr) {
    return user;
  }
  return "unknown";
}

EntryId log_agreement(Ledger& ledger, const AgreementInput& input, Instant now, Zone zone) {
  Entry e;
  e.kind = "agreement";
  e.text = trimmed(input.text);
  if (e.text.empty()) {
    throw Error("the agreement has no text; write what was agreed, e.g. pm log-agreement "
                "\"Launch moves to 12 December\"");
  }
  e.recorded_at = now;
  e.effective_at = input.meeting.empty() ? now : parse_instant_expression(input.meeting, now, zone, "--meeting");
  if (!input.due.empty()) {
    e.due = format_date(parse_date_expression(input.due, now, zone, "--due"));
  }
  e.author = input.author;
  e.source = input.source;
  e.data["with"] = input.with;
  e.data["tags"] = input.tags;
  if (input.meeting_entry) {
    auto meeting = ledger.find(*input.meeting_entry);
    if (!meeting) {
      throw Error(fmt::format("--meeting: there is no entry {}", *input.meeting_entry));
    }
    require_kind(*meeting, "meeting");
    e.effective_at = meeting->effective_at;
    e.data["meeting"] = meeting->id;
    if (input.with.empty()) {
      e.data["with"] = meeting->data.value("with", Json::array());
    }
  }
  if (input.supersedes) {
    auto old = ledger.find(*input.supersedes);
    if (!old) {
      throw Error(fmt::format("--supersedes {}: there is no such entry; 'pm agreements --all' "
                              "lists them",
                              *input.supersedes));
    }
    require_kind(*old, "agreement");
    // The newest agreement that refers to it, as list_agreements reports it: one index lookup.
    EntryQuery newer;
    newer.kinds = {"agreement"};
    newer.ref = old->id;
    newer.newest_first = true;
    newer.limit = 1;
    if (auto by = ledger.list(newer); !by.empty()) {
      throw Error(fmt::format("agreement {} was already replaced by agreement {}; supersede {} "
                              "instead",
                              old->number, by.front().number, by.front().number));
    }
    e.ref = old->id;
  }
  return ledger.append(e);
}

namespace {

void query_agreements(Ledger& ledger, bool all, std::optional<Instant> since,
                      std::optional<EntryId> only,
                      const std::function<void(const AgreementRow&)>& visit) {
  // In the order they are listed, straight from the (kind, effective_at) index; each one's
  // newest superseding agreement is one lookup in the ref index (open ones have none).
  // Its newest transition and its first done note are one more lookup each in the ref index.
  std::string sql = fmt::format(
      "SELECT {}, b.entry_id, b.number, "
      "(SELECT r.number FROM numbers r WHERE r.entry_id = e.ref), "
      "(SELECT json_array(t.id, json_extract(t.data, '$.state'), t.effective_at, "
      "coalesce(json_extract(t.data, '$.by'), ''), coalesce(json_extract(t.data, '$.reason'), "
      "json_extract(t.data, '$.evidence'), '')) FROM entries t INDEXED BY entries_ref "
      "WHERE t.ref = e.id AND t.kind = 'agreement-state' ORDER BY t.effective_at DESC, t.id DESC "
      "LIMIT 1), "
      "(SELECT json_array(d.id, d.effective_at) FROM entries d INDEXED BY entries_ref "
      "WHERE d.ref = e.id AND d.kind = 'done' ORDER BY d.effective_at, d.id LIMIT 1) "
      "FROM entries e LEFT JOIN numbers b ON b.entry_id = {} WHERE e.kind = 'agreement'",
      Ledger::entry_columns("e"),
      all ? "(SELECT s.id FROM entries s INDEXED BY entries_ref WHERE s.ref = e.id AND "
            "s.kind = 'agreement' ORDER BY s.effective_at DESC, s.id DESC LIMIT 1)"
          : "NULL");
  if (since) {
    sql += " AND e.effective_at >= ?";
  }
  if (only) {
    sql += " AND e.id = ?";
  }
  if (!all) {
    sql += " AND NOT EXISTS (SELECT 1 FROM entries s INDEXED BY entries_ref WHERE s.ref = e.id "
           "AND s.kind = 'agreement') AND " +
           not_withdrawal_sql("e");
  }
  sql += " ORDER BY e.effective_at, e.id";
  try {
    SQLite::Statement stmt(ledger.db(), sql);
    int index = 1;
    if (since) {
      stmt.bind(index++, format_utc(*since));
    }
    if (only) {
      stmt.bind(index, *only);
    }
    AgreementRow row;
    while (stmt.executeStep()) {
      row.entry = Ledger::read_entry(stmt);
      row.superseded_by.reset();
      row.superseded_by_number = 0;
      if (const SQLite::Column by = stmt.getColumn(Ledger::k_entry_column_count); !by.isNull()) {
        row.superseded_by = by.getInt64();
        row.superseded_by_number = stmt.getColumn(Ledger::k_entry_column_count + 1).getInt64();
      }
      row.supersedes_number = stmt.getColumn(Ledger::k_entry_column_count + 2).getInt64();
      row.state_entry.reset();
      row.state.clear();
      row.state_by.clear();
      row.state_note.clear();
      if (const SQLite::Column t = stmt.getColumn(Ledger::k_entry_column_count + 3); !t.isNull()) {
        const Json j = Json::parse(t.getString());
        row.state_entry = j[0].get<EntryId>();
        row.state = j[1].is_string() ? j[1].get<std::string>() : "";
        row.state_at = parse_utc(j[2].get<std::string>());
        row.state_by = j[3].get<std::string>();
        row.state_note = j[4].get<std::string>();
      }
      row.done_note.reset();
      if (const SQLite::Column d = stmt.getColumn(Ledger::k_entry_column_count + 4); !d.isNull()) {
        const Json j = Json::parse(d.getString());
        row.done_note = j[0].get<EntryId>();
        row.done_at = parse_utc(j[1].get<std::string>());
      }
      visit(row);
    }
  } catch (const SQLite::Exception& e) {
    rethrow_sqlite(e, ledger.path(), "read");
  }
}

}  // namespace

void each_agreement(Ledger& ledger, bool all, std::optional<Instant> since,
                    const std::function<void(const AgreementRow&)>& visit) {
  query_agreements(ledger, all, since, std::nullopt, visit);
}

std::optional<AgreementRow> find_agreement(Ledger& ledger, EntryId id) {
  std::optional<AgreementRow> out;
  query_agreements(ledger, true, std::nullopt, id, [&](const AgreementRow& row) { out = row; });
  return out;
}

std::vector<AgreementRow> list_agreements(Ledger& ledger, bool all, std::optional<Instant> since) {
  std::vector<AgreementRow> out;
  each_agreement(ledger, all, since, [&](const AgreementRow& row) { out.push_back(row); });
  return out;
}

}  // namespace pm
