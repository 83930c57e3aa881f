#include "pm/domain/meetings.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "pm/domain/meeting_schedule.hpp"
#include "pm/domain/numbers.hpp"
#include "pm/time/date_expression.hpp"
#include "pm/util/check.hpp"
#include "pm/util/error.hpp"
#include "pm/util/text.hpp"

namespace pm {

namespace {

bool digits(const std::string& text, std::size_t from, std::size_t count) {
  for (std::size_t i = from; i < from + count; ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return false;
    }
  }
  return true;
}

std::vector<std::string> checked_people(const std::vector<std::string>& names,
                                        const char* option) {
  std::vector<std::string> out;
  for (const auto& name : names) {
    check_line(option, name, Exit::usage);
    if (std::string t = trimmed(name); !t.empty()) {
      out.push_back(t);
    }
  }
  return out;
}

Json people_json(const std::vector<std::string>& names) {
  Json out = Json::array();
  for (const auto& n : names) {
    out.push_back(n);
  }
  return out;
}

}  // namespace

Instant parse_local_time(const std::string& text, Instant now, Zone zone, std::string_view what) {
  const std::string t = trimmed(text);
  // YYYY-MM-DD HH:MM (or T between), no offset: a wall-clock time in the project's zone.
  if (t.size() == 16 && (t[10] == ' ' || t[10] == 'T') && t[13] == ':' && digits(t, 11, 2) &&
      digits(t, 14, 2)) {
    Date day = parse_date(t.substr(0, 10), what);
    int hour = std::stoi(t.substr(11, 2));
    int minute = std::stoi(t.substr(14, 2));
    if (hour > 23 || minute > 59) {
      throw Error(fmt::format("{}: '{}' is not a time of day; give HH:MM from 00:00 to 23:59, "
                              "e.g. \"{} 11:00\"",
                              what, t.substr(11), t.substr(0, 10)),
                  Exit::usage);
    }
    return local_instant(date::local_days{day} + std::chrono::hours{hour} +
                             std::chrono::minutes{minute},
                         zone);
  }
  return parse_instant_expression(t, now, zone, what);
}

EntryId log_meeting(Ledger& ledger, const MeetingInput& input, Instant now, Zone zone) {
  Entry e;
  e.kind = "meeting";
  check_line("the meeting's topic", input.topic, Exit::usage);
  e.text = trimmed(input.topic);
  if (e.text.empty()) {
    throw Error("the meeting has no topic; e.g. pm meeting \"Weekly sync\" --with \"Ivan "
                "Sidorov\"",
                Exit::usage);
  }
  e.recorded_at = now;
  e.effective_at = input.on.empty() ? now : parse_local_time(input.on, now, zone, "--on");
  e.author = input.author;
  e.data["with"] = people_json(checked_people(input.with, "--with"));
  return ledger.append(e);
}

bool is_meeting_reference(const std::string& text) {
  std::string t = trimmed(text);
  if (t.size() >= 2 && (t[0] == 'M' || t[0] == 'm') && digits(t, 1, t.size() - 1)) {
    return true;
  }
  return t.size() > 8 && ascii_lower(t.substr(0, 8)) == "meeting " &&
         digits(t, 8, t.size() - 8);
}

Entry find_meeting(Ledger& ledger, const std::string& text) {
  std::string t = trimmed(text);
  std::string number = t.size() > 8 && ascii_lower(t.substr(0, 8)) == "meeting " ? t.substr(8)
                       : !t.empty() && (t[0] == 'M' || t[0] == 'm')           ? t.substr(1)
                                                                                : t;
  if (number.empty() || number.size() > 18 || !digits(number, 0, number.size()) ||
      std::stoll(number) <= 0) {
    throw Error(fmt::format("'{}' names no meeting; give its number as M2 (pm meetings lists "
                            "them)",
                            text),
                Exit::usage);
  }
  return numbered_entry(ledger, "meeting", std::stoll(number));
}

std::vector<Entry> list_meetings(Ledger& ledger) {
  EntryQuery q;
  q.kinds = {"meeting"};
  return ledger.list(q);
}

std::vector<Entry> meeting_items(Ledger& ledger, const Entry& meeting) {
  // What is logged against a meeting takes its time: the (kind, effective_at) index finds it.
  std::vector<Entry> out;
  try {
    SQLite::Statement stmt(
        ledger.db(),
        fmt::format("SELECT {} FROM entries e WHERE e.kind IN ('agreement', 'decision', "
                    "'question') AND e.effective_at = ? AND json_extract(e.data, '$.meeting') = ? "
                    "AND {} ORDER BY e.id",
                    Ledger::entry_columns("e"), not_withdrawal_sql("e")));
    stmt.bind(1, format_utc(meeting.effective_at));
    stmt.bind(2, static_cast<std::int64_t>(meeting.id));
    while (stmt.executeStep()) {
      out.push_back(Ledger::read_entry(stmt));
    }
  } catch (const SQLite::Exception& e) {
    rethrow_sqlite(e, ledger.path(), "read");
  }
  return out;
}

EntryId log_decision(Ledger& ledger, const DecisionNote& input, Instant now, Zone zone) {
  Entry e;
  e.kind = "decision";
  check_text("the decision", input.text, Exit::usage);
  e.text = trimmed(input.text);
  if (e.text.empty()) {
    throw Error("the decision has no text; e.g. pm decision \"We host on the client's servers\"",
                Exit::usage);
  }
  e.recorded_at = now;
  e.author = input.author;
  std::vector<std::string> with = checked_people(input.with, "--with");
  e.effective_at = input.on.empty() ? now : parse_local_time(input.on, now, zone, "--on");
  if (input.meeting) {
    Entry meeting = *ledger.find(*input.meeting);
    require_kind(meeting, "meeting");
    e.effective_at = meeting.effective_at;
    e.data["meeting"] = meeting.id;
    if (with.empty()) {
      for (const auto& name : meeting.data.value("with", Json::array())) {
        with.push_back(name.get<std::string>());
      }
    }
  }
  e.data["with"] = people_json(with);
  return ledger.append(e);
}

EntryId add_question(Ledger& ledger, const QuestionInput& input, Instant now, Zone zone) {
  Entry e;
  e.kind = "question";
  check_text("the question", input.text, Exit::usage);
  check_line("--to", input.to, Exit::usage);
  e.text = trimmed(input.text);
  if (e.text.empty()) {
    throw Error("the question has no text; e.g. pm question add \"Who hosts the staging "
                "server?\" --to \"Ivan Sidorov\"",
                Exit::usage);
  }
  e.recorded_at = now;
  e.effective_at = now;
  e.author = input.author;
  if (!input.due.empty()) {
    e.due = format_date(parse_date_expression(input.due, now, zone, "--due"));
  }
  if (std::string to = trimmed(input.to); !to.empty()) {
    e.data["to"] = to;
  }
  if (input.meeting) {
    Entry meeting = *ledger.find(*input.meeting);
    require_kind(meeting, "meeting");
    e.effective_at = meeting.effective_at;
    e.data["meeting"] = meeting.id;
  }
  return ledger.append(e);
}

EntryId answer_question(Ledger& ledger, EntryId question, const std::string& text,
                        const std::string& author, Instant now) {
  auto q = ledger.find(question);
  if (!q) {
    throw Error(fmt::format("there is no entry {}", question));
  }
  require_kind(*q, "question");
  check_text("the answer", text, Exit::usage);
  Entry e;
  e.kind = "question-answer";
  e.text = trimmed(text);
  if (e.text.empty()) {
    throw Error(fmt::format("the answer has no text; e.g. pm question answer {} \"Staging runs "
                            "on our servers\"",
                            q->number),
                Exit::usage);
  }
  EntryQuery answered;
  answered.kinds = {"question-answer"};
  answered.ref = q->id;
  answered.limit = 1;
  if (auto a = ledger.list(answered); !a.empty()) {
    throw Error(fmt::format("question {} was already answered on {} (entry {}); ask a new "
                            "question with pm question add to go on",
                            q->number, format_utc(a.front().effective_at), a.front().id));
  }
  e.recorded_at = now;
  e.effective_at = now;
  e.author = author;
  e.ref = q->id;
  return ledger.append(e);
}

std::vector<Question> list_questions(Ledger& ledger, bool all, std::optional<Instant> until) {
  std::vector<Question> out;
  std::string before = until ? " AND a.effective_at < ?" : "";
  std::string sql = fmt::format(
      "SELECT {}, (SELECT a.id FROM entries a INDEXED BY entries_ref WHERE a.ref = e.id AND "
      "a.kind = 'question-answer'{} ORDER BY a.id LIMIT 1) AS answer FROM entries e "
      "WHERE e.kind = 'question'{}",
      Ledger::entry_columns("e"), before, until ? " AND e.effective_at < ?" : "");
  if (!all) {
    sql += " AND answer IS NULL";
  }
  sql += " ORDER BY e.effective_at, e.id";
  std::vector<std::pair<Entry, std::optional<EntryId>>> rows;
  try {
    SQLite::Statement stmt(ledger.db(), sql);
    if (until) {
      stmt.bind(1, format_utc(*until));
      stmt.bind(2, format_utc(*until));
    }
    while (stmt.executeStep()) {
      Entry e = Ledger::read_entry(stmt);
      const SQLite::Column a = stmt.getColumn(Ledger::k_entry_column_count);
      rows.emplace_back(std::move(e), a.isNull() ? std::nullopt
                                                 : std::optional<EntryId>(a.getInt64()));
    }
  } catch (const SQLite::Exception& e) {
    rethrow_sqlite(e, ledger.path(), "read");
  }
  for (auto& [entry, answer] : rows) {
    Question q;
    q.entry = std::move(entry);
    if (answer) {
      q.answer = ledger.find(*answer);
    }
    if (const auto m = q.entry.data.find("meeting");
        m != q.entry.data.end() && m->is_number_integer()) {
      if (auto meeting = ledger.find(m->get<EntryId>())) {
        q.meeting_number = meeting->number;
      }
    }
    out.push_back(std::move(q));
  }
  return out;
}

}  // namespace pm
