// pm meeting, pm meetings, pm decision, pm question add|answer|list: meetings with the client,
// what was decided at them, and the questions that stay open between them.
#include <cstdio>

#include <fmt/format.h>

#include "cli/cli.hpp"
#include "pm/domain/agreements.hpp"
#include "pm/domain/meeting_schedule.hpp"
#include "pm/domain/meetings.hpp"
#include "pm/domain/numbers.hpp"
#include "pm/util/text.hpp"

namespace pm::cli {

namespace {

struct MeetingOptions {
  MeetingInput input;
  bool json = false;
};

struct DecisionOptions {
  DecisionNote input;
  std::string meeting;
};

struct QuestionOptions {
  QuestionInput input;
  std::string meeting;
  std::int64_t number = 0;  // answer
  std::string answer;
  bool all = false;
  bool json = false;
};

void print_number(Ledger& ledger, EntryId id) {
  std::printf("%lld\n", static_cast<long long>(ledger.find(id)->number));
}

void run_meeting(const Globals& globals, MeetingOptions options) {
  Session session = open_session(globals);
  auto ledger = session.open_ledger();
  options.input.author = resolve_author(globals.author);
  print_number(*ledger, log_meeting(*ledger, options.input, session.now, session.zone));
}

Json next_json(const Session& session) {
  auto next = next_meeting(session.config.meetings, session.now, session.zone);
  if (!next) {
    return nullptr;
  }
  return {{"title", next->schedule->title},
          {"at", format_iso_local(next->at, session.zone)},
          {"duration_minutes", next->schedule->duration_minutes}};
}

void run_meetings(const Globals& globals, const MeetingOptions& options) {
  Session session = open_session(globals);
  auto ledger = session.open_ledger(true);
  ReadSnapshot snapshot(*ledger);
  std::vector<Entry> meetings = list_meetings(*ledger);
  if (options.json) {
    Json out = {{"version", 1}, {"meetings", Json::array()}, {"next", next_json(session)}};
    for (const auto& m : meetings) {
      Json counts = {{"agreements", 0}, {"decisions", 0}, {"questions", 0}};
      for (const auto& item : meeting_items(*ledger, m)) {
        counts[item.kind + "s"] = counts[item.kind + "s"].get<int>() + 1;
      }
      out["meetings"].push_back({{"entry_id", m.id},
                                 {"number", m.number},
                                 {"topic", m.text},
                                 {"at", format_iso_local(m.effective_at, session.zone)},
                                 {"with", m.data.value("with", Json::array())},
                                 {"author", m.author},
                                 {"items", counts}});
    }
    emit(out.dump(2) + "\n", "");
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& m : meetings) {
    std::size_t items = meeting_items(*ledger, m).size();
    rows.push_back({fmt::format("M{}", m.number), format_local(m.effective_at, session.zone),
                    join_json(m.data.value("with", Json::array())),
                    items == 0 ? "-" : std::to_string(items), m.text});
  }
  if (rows.empty()) {
    std::printf("No meetings recorded yet. Record one with pm meeting \"TOPIC\".\n");
  } else {
    print_table({"NO", "WHEN", "WITH", "ITEMS", "TOPIC"}, rows);
  }
  if (auto next = next_meeting(session.config.meetings, session.now, session.zone)) {
    std::printf("\nNext: %s, %s\n", next->schedule->title.c_str(),
                format_local(next->at, session.zone).c_str());
  }
}

void run_decision(const Globals& globals, DecisionOptions options) {
  Session session = open_session(globals);
  auto ledger = session.open_ledger();
  options.input.author = resolve_author(globals.author);
  if (!options.meeting.empty()) {
    if (is_meeting_reference(options.meeting)) {
      options.input.meeting = find_meeting(*ledger, options.meeting).id;
    } else {
      options.input.on = options.meeting;
    }
  }
  print_number(*ledger, log_decision(*ledger, options.input, session.now, session.zone));
}

void run_question_add(const Globals& globals, QuestionOptions options) {
  Session session = open_session(globals);
  auto ledger = session.open_ledger();
  options.input.author = resolve_author(globals.author);
  if (!options.meeting.empty()) {
    options.input.meeting = find_meeting(*ledger, options.meeting).id;
  }
  print_number(*ledger, add_question(*ledger, options.input, session.now, session.zone));
}

void run_question_answer(const Globals& globals, const QuestionOptions& options) {
  Session session = open_session(globals);
  auto ledger = session.open_ledger();
  Entry q = numbered_entry(*ledger, "question", options.number);
  answer_question(*ledger, q.id, options.answer, resolve_author(globals.author), session.now);
  note(globals, fmt::format("question {} answered", options.number));
}

void run_question_list(const Globals& globals, const QuestionOptions& options) {
  Session session = open_session(globals);
  auto ledger = session.open_ledger(true);
  ReadSnapshot snapshot(*ledger);
  std::vector<Question> questions = list_questions(*ledger, options.all);
  auto or_null = [](const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); };
  if (options.json) {
    Json out = {{"version", 1}, {"questions", Json::array()}};
    for (const auto& q : questions) {
      Json answer = nullptr;
      if (q.answer) {
        answer = {{"entry_id", q.answer->id},
                  {"text", q.answer->text},
                  {"at", format_iso_local(q.answer->effective_at, session.zone)},
                  {"author", q.answer->author}};
      }
      out["questions"].push_back(
          {{"entry_id", q.entry.id},
           {"number", q.entry.number},
           {"text", q.entry.text},
           {"asked_at", format_iso_local(q.entry.effective_at, session.zone)},
           {"to", or_null(q.entry.data.value("to", std::string()))},
           {"due", or_null(q.entry.due)},
           {"meeting", q.meeting_number != 0 ? Json(q.meeting_number) : Json(nullptr)},
           {"author", q.entry.author},
           {"answer", answer}});
    }
    emit(out.dump(2) + "\n", "");
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& q : questions) {
    std::vector<std::string> row = {
        std::to_string(q.entry.number), format_date(local_date(q.entry.effective_at, session.zone)),
        q.meeting_number != 0 ? fmt::format("M{}", q.meeting_number) : "-",
        q.entry.data.value("to", std::string("-")), q.entry.due.empty() ? "-" : q.entry.due,
        q.entry.text};
    if (options.all) {
      row.insert(row.begin() + 2,
                 q.answer ? format_date(local_date(q.answer->effective_at, session.zone))
                          : "open");
      if (q.answer) {
        row.back() += " → " + q.answer->text;
      }
    }
    rows.push_back(std::move(row));
  }
  if (rows.empty()) {
    std::printf("%s\n", options.all ? "No questions recorded yet."
                                    : "No open questions. Record one with pm question add.");
    return;
  }
  std::vector<std::string> header = {"NO", "ASKED", "MEETING", "TO", "DUE", "QUESTION"};
  if (options.all) {
    header.insert(header.begin() + 2, "ANSWERED");
  }
  print_table(header, rows);
}

}  // namespace

void setup_meeting(CLI::App& app, const Globals& globals) {
  auto options = std::make_shared<MeetingOptions>();
  CLI::App* cmd = app.add_subcommand("meeting", "Record a meeting with the client; prints its "
                                                "number (M2 is meeting 2)");
  cmd->add_option("topic", options->input.topic, "What the meeting was about")->required();
  cmd->add_option("--on", options->input.on,
                  "When: \"YYYY-MM-DD HH:MM\" in the project's zone, a date, or an ISO time "
                  "(default: now)")
      ->option_text("WHEN");
  cmd->add_option("--with", options->input.with, "Who took part (repeatable)")
      ->option_text("NAME")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->callback([options, &globals] { run_meeting(globals, *options); });
}

void setup_meetings(CLI::App& app, const Globals& globals) {
  auto options = std::make_shared<MeetingOptions>();
  CLI::App* cmd = app.add_subcommand("meetings", "List the meetings, and the next one the "
                                                 "schedule (meetings: in project.yaml) gives");
  cmd->add_flag("--json", options->json, "JSON for scripts (docs/json.md)");
  cmd->callback([options, &globals] { run_meetings(globals, *options); });
}

void setup_decision(CLI::App& app, const Globals& globals) {
  auto options = std::make_shared<DecisionOptions>();
  CLI::App* cmd = app.add_subcommand("decision", "Record a decision; prints its number");
  cmd->add_option("text", options->input.text, "What was decided")->required();
  cmd->add_option("--meeting", options->meeting,
                  "The meeting it was taken at (M2), or when: a date or an ISO time (default: "
                  "now)")
      ->option_text("M2|WHEN");
  cmd->add_option("--with", options->input.with,
                  "Who decided (repeatable; default: the meeting's people)")
      ->option_text("NAME")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->callback([options, &globals] { run_decision(globals, *options); });
}

void setup_question(CLI::App& app, const Globals& globals) {
  CLI::App* question =
      app.add_subcommand("question", "Open questions between meetings: add, answer, list");
  question->require_subcommand(1);

  auto add = std::make_shared<QuestionOptions>();
  CLI::App* cmd = question->add_subcommand("add", "Record an open question; prints its number");
  cmd->add_option("text", add->input.text, "The question")->required();
  cmd->add_option("--meeting", add->meeting, "The meeting it was raised at (M2)")
      ->option_text("M2");
  cmd->add_option("--to", add->input.to, "Who is to answer it")->option_text("NAME");
  cmd->add_option("--due", add->input.due, "The answer is wanted by, YYYY-MM-DD")
      ->option_text("DATE");
  cmd->callback([add, &globals] { run_question_add(globals, *add); });

  auto answer = std::make_shared<QuestionOptions>();
  cmd = question->add_subcommand("answer", "Answer an open question (both stay in the ledger)");
  cmd->add_option("number", answer->number, "The question's number (pm question list)")
      ->required()
      ->check(CLI::PositiveNumber);
  cmd->add_option("text", answer->answer, "The answer")->required();
  cmd->callback([answer, &globals] { run_question_answer(globals, *answer); });

  auto list = std::make_shared<QuestionOptions>();
  cmd = question->add_subcommand("list", "List the open questions (all with --all)");
  cmd->add_flag("--all", list->all, "Include answered questions, with their answers");
  cmd->add_flag("--json", list->json, "JSON for scripts (docs/json.md)");
  cmd->callback([list, &globals] { run_question_list(globals, *list); });
}

}  // namespace pm::cli
