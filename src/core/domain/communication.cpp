#include "pm/domain/communication.hpp"

#include <algorithm>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "pm/util/check.hpp"
#include "pm/util/error.hpp"
#include "pm/util/text.hpp"

namespace pm {

const std::vector<std::string> k_channels = {"mail", "call", "chat", "meeting", "other"};

SlaTargets sla_targets(const ProjectConfig& config) {
  SlaTargets t;
  t.reply = std::chrono::hours(config.sla_reply_hours);
  t.status_days = config.sla_status_every_days;
  return t;
}

namespace {

/// `text` without a leading reply or forward marker ("Re:", "Fwd[2]:", "Ответ:"), or nullopt
/// when it has none. `text` is case folded.
std::optional<std::string_view> without_marker(std::string_view text) {
  static const char* const k_markers[] = {"re", "fwd", "fw", "aw", "wg", "ответ", "отв",
                                          "пересл", "fwd:", "tr"};
  for (const char* marker : k_markers) {
    std::string_view m(marker);
    if (!text.starts_with(m)) {
      continue;
    }
    std::string_view rest = text.substr(m.size());
    if (rest.starts_with('[')) {  // "Re[2]:"
      auto close = rest.find(']');
      if (close == std::string_view::npos) {
        continue;
      }
      rest = rest.substr(close + 1);
    }
    while (rest.starts_with(' ')) {
      rest.remove_prefix(1);
    }
    if (rest.starts_with(':')) {
      return rest.substr(1);
    }
  }
  return std::nullopt;
}

void check_channel(const std::string& via) {
  if (std::find(k_channels.begin(), k_channels.end(), via) == k_channels.end()) {
    throw Error(fmt::format("--via {}: expected one of {}", via, join(k_channels)), Exit::usage);
  }
}

void check_not_future(std::optional<Instant> when, Instant now, std::string_view what) {
  if (when && *when > now) {
    throw Error(fmt::format("--on: {} is in the future; {} is recorded once it happened",
                            format_utc(*when), what),
                Exit::usage);
  }
}

}  // namespace

std::string thread_key(std::string_view subject) {
  std::string folded = fold_case(subject);
  std::string collapsed;
  for (char c : folded) {
    if (c == '\t' || c == '\n' || c == '\r') {
      c = ' ';
    }
    if (c == ' ' && (collapsed.empty() || collapsed.back() == ' ')) {
      continue;
    }
    collapsed += c;
  }
  std::string_view rest = collapsed;
  while (auto next = without_marker(rest)) {
    rest = *next;
    while (rest.starts_with(' ')) {
      rest.remove_prefix(1);
    }
  }
  while (rest.ends_with(' ')) {
    rest.remove_suffix(1);
  }
  return std::string(rest);
}

EntryId add_request(Ledger& ledger, const ProjectConfig& config, const RequestInput& input,
                    Instant now) {
  Entry e;
  e.kind = "request";
  e.text = trimmed(input.text);
  if (e.text.empty()) {
    throw Error("the request has no text; say what was asked, e.g. pm request \"Move the demo "
                "to Friday\" --from Ivan --via call",
                Exit::usage);
  }
  check_line("the request", e.text, Exit::usage);
  check_channel(input.via);
  const Person* who = find_person(config, input.from);
  if (input.from.empty() || who == nullptr || who->side != "client") {
    throw Error(fmt::format("--from '{}': name a client-side person of project.yaml (pm people "
                            "lists them)",
                            input.from),
                Exit::usage);
  }
  check_not_future(input.when, now, "a request");
  e.recorded_at = now;
  e.effective_at = input.when.value_or(now);
  e.author = input.author;
  e.data["from"] = who->email.empty() ? who->name : who->email;
  e.data["from_name"] = who->name;
  e.data["via"] = input.via;
  e.data["thread"] = thread_key(e.text);
  return ledger.append(e);
}

EntryId add_reply(Ledger& ledger, const ReplyInput& input, Instant now) {
  std::optional<Entry> request = ledger.find_numbered("request", input.request);
  if (!request) {
    throw Error(fmt::format("there is no request I{} (pm sla lists them)", input.request),
                Exit::usage);
  }
  check_channel(input.via);
  check_line("the reply", input.text, Exit::usage);
  check_not_future(input.when, now, "a reply");
  // The SLA measures the first reply; a second would only blur which one that was.
  EntryQuery replied;
  replied.kinds = {"reply"};
  replied.ref = request->id;
  replied.limit = 1;
  if (const std::vector<Entry> earlier = ledger.list(replied); !earlier.empty()) {
    throw Error(fmt::format("request I{} has its reply already (entry {}, {}); pm sla shows it",
                            input.request, earlier.front().id,
                            format_utc(earlier.front().effective_at)));
  }
  Entry e;
  e.kind = "reply";
  e.text = trimmed(input.text);
  e.recorded_at = now;
  e.effective_at = input.when.value_or(now);
  if (e.effective_at < request->effective_at) {
    throw Error(fmt::format("--on: the reply would come before request I{} itself ({})",
                            input.request, format_utc(request->effective_at)),
                Exit::usage);
  }
  e.author = input.author;
  e.ref = request->id;
  e.data["via"] = input.via;
  if (!input.needed) {
    e.data["needed"] = false;
  }
  return ledger.append(e);
}

namespace {

RequestRow measure(Ledger& ledger, const Calendar& calendar, const SlaTargets& targets,
                   Entry request, Instant now) {
  RequestRow row;
  row.request = std::move(request);
  EntryQuery q;
  q.kinds = {"reply"};
  q.ref = row.request.id;
  q.limit = 1;
  std::vector<Entry> replies = ledger.list(q);
  if (!replies.empty()) {
    row.reply = std::move(replies.front());
    row.needs_reply = row.reply->data.value("needed", true);
  }
  row.reply_due = calendar.add_working_time(row.request.effective_at, targets.reply);
  const Instant end = row.reply ? row.reply->effective_at : now;
  row.waited = std::max(std::chrono::seconds(0),
                        calendar.working_time_between(row.request.effective_at, end));
  row.breach = row.needs_reply && row.waited > targets.reply;
  return row;
}

}  // namespace

std::vector<RequestRow> requests_between(Ledger& ledger, const Calendar& calendar,
                                         const SlaTargets& targets, Instant from,
                                         Instant until, Instant now) {
  EntryQuery q;
  q.kinds = {"request"};
  q.effective_from = from;
  q.effective_until = until;
  std::vector<RequestRow> rows;
  for (Entry& e : ledger.list(q)) {
    rows.push_back(measure(ledger, calendar, targets, std::move(e), now));
  }
  return rows;
}

std::vector<RequestRow> waiting_requests(Ledger& ledger, const Calendar& calendar,
                                         const SlaTargets& targets, Instant now) {
  // Unanswered requests: the ref index finds each one's reply, so this reads the requests
  // (a few per day) and no other history.
  EntryQuery q;
  q.kinds = {"request"};
  q.effective_until = now + std::chrono::seconds(1);
  std::vector<RequestRow> rows;
  for (Entry& e : ledger.list(q)) {
    RequestRow row = measure(ledger, calendar, targets, std::move(e), now);
    if (!row.replied()) {
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

std::optional<std::chrono::seconds> median_reply(const std::vector<RequestRow>& rows) {
  std::vector<std::chrono::seconds> times;
  for (const auto& r : rows) {
    if (r.replied() && r.needs_reply) {
      times.push_back(r.waited);
    }
  }
  if (times.empty()) {
    return std::nullopt;
  }
  std::sort(times.begin(), times.end());
  const std::size_t n = times.size();
  return n % 2 == 1 ? times[n / 2] : (times[n / 2 - 1] + times[n / 2]) / 2;
}

std::vector<StatusGap> status_gaps(Ledger& ledger, const Calendar& calendar,
                                   const SlaTargets& targets, Instant from, Instant until,
                                   Instant now) {
  // Every status update up to now (one a week: few), and the project's first entry as the
  // start of the first gap. A gap belongs to the period when it overlaps it.
  std::vector<Instant> updates;
  EntryQuery q;
  q.kinds = {"letter"};
  q.effective_until = now + std::chrono::seconds(1);
  ledger.each(q, [&](const Entry& e) {
    if (e.data.value("template", "") == "weekly-status") {
      updates.push_back(e.effective_at);
    }
  });
  EntryQuery first;
  first.limit = 1;
  const std::vector<Entry> entries = ledger.list(first);
  if (entries.empty()) {
    return {};
  }
  const Zone zone = calendar.zone();
  std::vector<StatusGap> gaps;
  auto add = [&](std::optional<Instant> begin, Instant begin_at, std::optional<Instant> end,
                 Instant end_at) {
    if (end_at < from || begin_at >= until) {
      return;
    }
    StatusGap g{begin, end,
                calendar.working_days_between(local_date(begin_at, zone), local_date(end_at, zone)),
                false};
    g.breach = g.working_days > targets.status_days;
    gaps.push_back(g);
  };
  std::optional<Instant> previous;
  Instant previous_at = entries.front().effective_at;
  for (Instant u : updates) {
    if (u > previous_at || previous) {
      add(previous, previous_at, u, u);
    }
    previous = u;
    previous_at = u;
  }
  add(previous, previous_at, std::nullopt, std::max(now, previous_at));
  return gaps;
}

std::optional<Instant> last_status_letter(Ledger& ledger) {
  SQLite::Statement stmt(ledger.db(),
                         "SELECT effective_at FROM entries WHERE kind = 'letter' AND "
                         "json_extract(data, '$.template') = 'weekly-status' "
                         "ORDER BY effective_at DESC, id DESC LIMIT 1");
  if (stmt.executeStep()) {
    return parse_utc(stmt.getColumn(0).getString());
  }
  return std::nullopt;
}

std::string working_time_text(std::chrono::seconds time, std::string_view language) {
  const bool ru = language == "ru";
  const long long minutes = (time.count() + 30) / 60;
  const long long h = minutes / 60;
  const long long m = minutes % 60;
  const char* hours_word = ru ? "ч" : "h";
  const char* minutes_word = ru ? "мин" : "min";
  if (h == 0) {
    return fmt::format("{} {}", m, minutes_word);
  }
  if (m == 0) {
    return fmt::format("{} {}", h, hours_word);
  }
  return fmt::format("{} {} {} {}", h, hours_word, m, minutes_word);
}

}  // namespace pm
