// pm request TEXT --from PERSON: a client's request that came by a call or a chat.
// pm reply N: its answer. pm sla: every request with its reply time, breaches first, and the
// gaps between status updates (docs/communication.md).
#include <algorithm>

#include <fmt/format.h>

#include "cli/cli.hpp"
#include "pm/domain/agreements.hpp"
#include "pm/domain/communication.hpp"
#include "pm/domain/meetings.hpp"
#include "pm/domain/project_calendar.hpp"
#include "pm/time/date_expression.hpp"
#include "pm/time/period.hpp"
#include "pm/util/text.hpp"

namespace pm::cli {

namespace {

struct RequestOptions {
  std::string text;
  std::string from;
  std::string via = "call";
  std::string on;
};

std::optional<Instant> when_option(const std::string& on, const Session& session) {
  if (on.empty()) {
    return std::nullopt;
  }
  return parse_local_time(on, session.now, session.zone, "--on");
}

void run_request(const Globals& globals, const RequestOptions& options) {
  Session session = open_session(globals);
  auto ledger = session.open_ledger();
  RequestInput input{options.text, options.from, options.via, when_option(options.on, session),
                     resolve_author(globals.author)};
  const EntryId id = add_request(*ledger, session.config, input, session.now);
  const Entry e = *ledger->find(id);
  const Calendar calendar = project_calendar(session.config, session.paths.dir());
  const Instant due = calendar.add_working_time(e.effective_at, sla_targets(session.config).reply);
  note(globals, fmt::format("request I{}: reply by {}", e.number, format_local(due, session.zone)));
  std::printf("%lld\n", static_cast<long long>(e.number));
}

struct ReplyOptions {
  std::int64_t request = 0;
  std::string text;
  std::string via = "mail";
  std::string on;
  bool none = false;
};

void run_reply(const Globals& globals, const ReplyOptions& options) {
  Session session = open_session(globals);
  auto ledger = session.open_ledger();
  ReplyInput input{options.request, options.text, options.via, when_option(options.on, session),
                   !options.none, resolve_author(globals.author)};
  add_reply(*ledger, input, session.now);
  const Calendar calendar = project_calendar(session.config, session.paths.dir());
  const SlaTargets targets = sla_targets(session.config);
  const Entry request = *ledger->find_numbered("request", options.request);
  const Instant at = input.when.value_or(session.now);
  if (options.none) {
    note(globals, fmt::format("request I{} closed without a reply", options.request));
    return;
  }
  const auto waited = calendar.working_time_between(request.effective_at, at);
  note(globals, fmt::format("request I{} answered after {} of working time{}", options.request,
                            working_time_text(waited, "en"),
                            waited > targets.reply ? " (past the SLA)" : ""));
}

struct SlaOptions {
  PeriodOptions when;
  bool json = false;
};

std::string sla_state(const RequestRow& r) {
  if (!r.needs_reply) {
    return "no reply needed";
  }
  if (r.breach) {
    return r.replied() ? "breach" : "breach, waiting";
  }
  return r.replied() ? "ok" : "waiting";
}

void run_sla(const Globals& globals, const SlaOptions& options) {
  Session session = open_session(globals);
  auto ledger = session.open_ledger(true);
  ReadSnapshot snapshot(*ledger);
  const Calendar calendar = project_calendar(session.config, session.paths.dir());
  const SlaTargets targets = sla_targets(session.config);
  const Period period = chosen_period(options.when, session.now, session.zone);
  std::vector<RequestRow> rows =
      requests_between(*ledger, calendar, targets, period.from, period.until, session.now);
  std::stable_sort(rows.begin(), rows.end(), [](const RequestRow& a, const RequestRow& b) {
    return a.breach > b.breach;
  });
  const std::vector<StatusGap> gaps =
      status_gaps(*ledger, calendar, targets, period.from, period.until, session.now);
  const auto median = median_reply(rows);
  const auto breaches = std::count_if(rows.begin(), rows.end(), [](auto& r) { return r.breach; });
  auto local = [&](std::optional<Instant> t) {
    return t ? Json(format_iso_local(*t, session.zone)) : Json(nullptr);
  };
  if (options.json) {
    Json out{{"version", 1},
             {"period", {{"first", format_date(period.first)}, {"last", format_date(period.last)}}},
             {"targets",
              {{"reply_minutes", targets.reply.count() / 60},
               {"status_every_days", targets.status_days}}},
             {"median_reply_minutes",
              median ? Json(median->count() / 60) : Json(nullptr)},
             {"breaches", breaches}};
    Json requests = Json::array();
    for (const auto& r : rows) {
      requests.push_back(
          {{"number", r.request.number},
           {"entry_id", r.request.id},
           {"received", local(r.request.effective_at)},
           {"from", r.request.data.value("from", "")},
           {"via", r.request.data.value("via", "")},
           {"text", r.request.text},
           {"replied", local(r.reply ? std::optional(r.reply->effective_at) : std::nullopt)},
           {"reply_due", local(r.reply_due)},
           {"working_minutes", r.waited.count() / 60},
           {"needs_reply", r.needs_reply},
           {"breach", r.breach}});
    }
    out["requests"] = requests;
    Json status = Json::array();
    for (const auto& g : gaps) {
      status.push_back({{"from", local(g.from)},
                        {"to", local(g.to)},
                        {"working_days", g.working_days},
                        {"breach", g.breach}});
    }
    out["status_updates"] = status;
    std::printf("%s\n", out.dump(2).c_str());
    return;
  }
  std::printf("SLA: a reply within %s of working time, a status update every %d working days\n",
              working_time_text(targets.reply, "en").c_str(), targets.status_days);
  std::printf("Period: %s\n\n", period_label(period, "en").c_str());
  if (rows.empty()) {
    std::printf("No requests in this period. pm mail import reads them from mail; pm request "
                "records a call or a chat message.\n");
  } else {
    std::printf("Requests: %zu, %lld past the SLA; median reply time %s\n", rows.size(),
                static_cast<long long>(breaches),
                median ? working_time_text(*median, "en").c_str() : "-");
    std::vector<std::vector<std::string>> table;
    for (const auto& r : rows) {
      std::string state = sla_state(r);
      table.push_back({"I" + std::to_string(r.request.number),
                       format_local(r.request.effective_at, session.zone),
                       r.request.data.value("from_name", r.request.data.value("from", "")),
                       r.request.text,
                       r.reply ? format_local(r.reply->effective_at, session.zone) : "-",
                       working_time_text(r.waited, "en"), r.breach ? alert(state) : state});
    }
    print_table({"NO", "RECEIVED", "FROM", "REQUEST", "REPLIED", "WORKING TIME", "SLA"}, table);
  }
  std::printf("\n");
  if (gaps.empty()) {
    std::printf("No status updates yet.\n");
    return;
  }
  std::printf("Status updates (weekly-status letters):\n");
  std::vector<std::vector<std::string>> table;
  for (const auto& g : gaps) {
    const std::string state = g.breach ? "breach" : "ok";
    table.push_back({g.from ? format_local(*g.from, session.zone) : "project start",
                     g.to ? format_local(*g.to, session.zone) : "(none yet)",
                     std::to_string(g.working_days), g.breach ? alert(state) : state});
  }
  print_table({"SINCE", "NEXT UPDATE", "WORKING DAYS", "SLA"}, table);
}

}  // namespace

void setup_request(CLI::App& app, const Globals& globals) {
  auto options = std::make_shared<RequestOptions>();
  CLI::App* cmd = app.add_subcommand(
      "request", "Record a client's request that came by a call or a chat; prints its number");
  cmd->add_option("text", options->text, "What was asked, one line")->required();
  cmd->add_option("--from", options->from, "The client-side person who asked (project.yaml)")
      ->required()
      ->option_text("PERSON");
  cmd->add_option("--via", options->via, "How it came: call (default), chat, mail, meeting, other")
      ->option_text("CHANNEL");
  cmd->add_option("--on", options->on, "When it came (default: now): \"2026-12-03 10:15\"")
      ->option_text("WHEN");
  cmd->callback([options, &globals] { run_request(globals, *options); });
}

void setup_reply(CLI::App& app, const Globals& globals) {
  auto options = std::make_shared<ReplyOptions>();
  CLI::App* cmd = app.add_subcommand(
      "reply", "Record the reply to request N (a call, a chat message, a letter sent elsewhere)");
  cmd->add_option("number", options->request, "The request's number: 3 for I3 (pm sla lists them)")
      ->required()
      ->check(CLI::PositiveNumber);
  cmd->add_option("text", options->text, "What was answered (optional)");
  cmd->add_option("--via", options->via, "How: mail (default), call, chat, meeting, other")
      ->option_text("CHANNEL");
  cmd->add_option("--on", options->on, "When (default: now): \"2026-12-03 11:40\"")
      ->option_text("WHEN");
  cmd->add_flag("--no-reply-needed", options->none,
                "Close the request without a reply (\"thanks!\"): the SLA does not count it");
  cmd->callback([options, &globals] { run_reply(globals, *options); });
}

void setup_sla(CLI::App& app, const Globals& globals) {
  auto options = std::make_shared<SlaOptions>();
  CLI::App* cmd = app.add_subcommand(
      "sla", "Reply times of the client's requests (breaches first) and status update gaps");
  add_period_options(cmd, options->when);
  cmd->add_flag("--json", options->json, "JSON for scripts (docs/json.md)");
  cmd->callback([options, &globals] { run_sla(globals, *options); });
}

}  // namespace pm::cli
