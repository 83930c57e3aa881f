#include "pm/domain/agreements.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <tuple>
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

/// Of the entries of one kind that refer to an agreement, the one that counts: the newest or
/// the first by (effective_at, id), the stored time compared as text as SQL orders it.
struct Chosen {
  std::string at;
  EntryId id = 0;
  bool set = false;

  /// Whether the entry `id` at `at` wins over the one chosen so far; it is chosen if it does.
  bool take(const std::string& other_at, EntryId other_id, bool newest) {
    const auto other = std::tie(other_at, other_id);
    const auto chosen = std::tie(at, id);
    if (set && (newest ? other <= chosen : other >= chosen)) {
      return false;
    }
    at = other_at;
    id = other_id;
    set = true;
    return true;
  }
};

// The columns after the agreement's own (Ledger::entry_columns), then those of one entry that
// refers to it: a superseding agreement, a transition or a done note (NULL when none does).
enum Column : int {
  k_supersedes_number = Ledger::k_entry_column_count,
  k_with,
  k_tags,
  k_ref_id,
  k_ref_kind,
  k_ref_at,
  k_ref_number,  ///< a superseding agreement's number
  k_ref_state,   ///< a transition's state, by whom, and its reason or evidence
  k_ref_by,
  k_ref_note,
};

void query_agreements(Ledger& ledger, bool all, std::optional<Instant> since,
                      std::optional<EntryId> only, bool data,
                      const std::function<void(const AgreementRow&)>& visit,
                      std::optional<Instant> open_at = std::nullopt) {
  // In the order they are listed, straight from the (kind, effective_at) index; each one
  // joined to the entries that refer to it, one lookup in the ref index, which give it its
  // newest superseding agreement, its newest transition and its first done note (chosen here:
  // a subquery's ORDER BY ... LIMIT 1 costs a temporary b-tree per agreement). Whom it was
  // agreed with and its tags come joined as the listings show them; its data is parsed only
  // when asked for (`data`), and data that is not JSON (an older ledger's) has neither.
  std::string sql = fmt::format(
      "SELECT {1}, (SELECT r.number FROM numbers r WHERE r.entry_id = e.ref), "
      "(SELECT group_concat(value, ', ') FROM json_each({0}, '$.with')), "
      "(SELECT group_concat(value, ', ') FROM json_each({0}, '$.tags')), "
      "x.id, x.kind, x.effective_at, "
      "CASE x.kind WHEN 'agreement' THEN (SELECT n.number FROM numbers n WHERE n.entry_id = x.id) "
      "END, "
      "CASE x.kind WHEN 'agreement-state' THEN json_extract(x.data, '$.state') END, "
      "CASE x.kind WHEN 'agreement-state' THEN json_extract(x.data, '$.by') END, "
      "CASE x.kind WHEN 'agreement-state' THEN coalesce(json_extract(x.data, '$.reason'), "
      "json_extract(x.data, '$.evidence')) END "
      "FROM entries e LEFT JOIN entries x INDEXED BY entries_ref ON x.ref = e.id "
      "AND x.kind IN ('agreement', 'agreement-state', 'done') WHERE e.kind = 'agreement'",
      "CASE WHEN json_valid(e.data) THEN e.data END", Ledger::entry_columns("e"));
  if (since) {
    sql += " AND e.effective_at >= ?";
  }
  if (only) {
    sql += " AND e.id = ?";
  }
  if (!all) {
    sql += " AND " + not_withdrawal_sql("e");
  }
  if (open_at) {
    // Only those the items table has open then: the index of open items, not every agreement.
    sql += " AND e.id IN (SELECT i.id FROM items i INDEXED BY items_open "
           "WHERE i.kind = 'agreement' AND i.closed_at > ?)";
  }
  // By id after the time: the rows of one agreement come together.
  sql += " ORDER BY e.effective_at, e.id";
  try {
    SQLite::Statement stmt(ledger.db(), sql);
    int index = 1;
    if (since) {
      stmt.bind(index++, format_utc(*since));
    }
    if (only) {
      stmt.bind(index++, *only);
    }
    if (open_at) {
      stmt.bind(index, format_utc(*open_at));
    }
    AgreementRow row;
    bool gathering = false;
    Chosen superseding, transition, done;
    auto finish = [&] {
      // A superseded one is listed only with `all`.
      if (gathering && (all || !superseding.set)) {
        visit(row);
      }
    };
    auto start = [&] {
      row.entry = Ledger::read_entry(stmt, 0, data);
      row.supersedes_number = stmt.getColumn(k_supersedes_number).getInt64();
      row.with = stmt.getColumn(k_with).getString();
      row.tags = stmt.getColumn(k_tags).getString();
      row.superseded_by.reset();
      row.superseded_by_number = 0;
      row.state_entry.reset();
      row.state.clear();
      row.state_by.clear();
      row.state_note.clear();
      row.done_note.reset();
      superseding = transition = done = Chosen{};
      gathering = true;
    };
    auto refer = [&] {
      const EntryId id = stmt.getColumn(k_ref_id).getInt64();
      const std::string kind = stmt.getColumn(k_ref_kind).getString();
      const std::string at = stmt.getColumn(k_ref_at).getString();
      if (kind == "agreement" && superseding.take(at, id, true)) {
        // The newest names its successor when it has a number (one written around pm has
        // none: the listing says nothing of it).
        const SQLite::Column number = stmt.getColumn(k_ref_number);
        row.superseded_by = number.isNull() ? std::nullopt : std::optional<EntryId>(id);
        row.superseded_by_number = number.getInt64();
      } else if (kind == "agreement-state" && transition.take(at, id, true)) {
        row.state_entry = id;
        row.state = stmt.getColumn(k_ref_state).getString();
        row.state_at = parse_utc(at);
        row.state_by = stmt.getColumn(k_ref_by).getString();
        row.state_note = stmt.getColumn(k_ref_note).getString();
      } else if (kind == "done" && done.take(at, id, false)) {
        row.done_note = id;
        row.done_at = parse_utc(at);
      }
    };
    while (stmt.executeStep()) {
      if (!gathering || stmt.getColumn(0).getInt64() != row.entry.id) {
        finish();
        start();
      }
      if (!stmt.getColumn(k_ref_id).isNull()) {
        refer();
      }
    }
    finish();
  } catch (const SQLite::Exception& e) {
    rethrow_sqlite(e, ledger.path(), "read");
  }
}

}  // namespace

void each_agreement(Ledger& ledger, bool all, std::optional<Instant> since,
                    const std::function<void(const AgreementRow&)>& visit, bool data) {
  query_agreements(ledger, all, since, std::nullopt, data, visit);
}

void each_open_agreement(Ledger& ledger, Instant now,
                         const std::function<void(const AgreementRow&)>& visit) {
  query_agreements(ledger, false, std::nullopt, std::nullopt, false, visit, now);
}

std::optional<AgreementRow> find_agreement(Ledger& ledger, EntryId id) {
  std::optional<AgreementRow> out;
  query_agreements(ledger, true, std::nullopt, id, true, [&](const AgreementRow& row) { out = row; });
  return out;
}

std::vector<AgreementRow> list_agreements(Ledger& ledger, bool all, std::optional<Instant> since) {
  std::vector<AgreementRow> out;
  each_agreement(ledger, all, since, [&](const AgreementRow& row) { out.push_back(row); });
  return out;
}

}  // namespace pm
