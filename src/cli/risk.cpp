// pm risk add|close|list: the risk register.
#include <cstdio>

#include <fmt/format.h>

#include "cli/cli.hpp"
#include "pm/domain/agreements.hpp"
#include "pm/domain/numbers.hpp"
#include "pm/domain/risks.hpp"

namespace pm::cli {

namespace {

struct RiskOptions {
  RiskInput input;
  std::int64_t number = 0;  // close
  std::string note;
  bool all = false;
  bool json = false;
};

void run_add(const Globals& globals, RiskOptions options) {
  Session session = open_session(globals);
  auto ledger = session.open_ledger();
  options.input.author = resolve_author(globals.author);
  EntryId id = add_risk(*ledger, options.input, session.now);
  std::printf("%lld\n", static_cast<long long>(ledger->find(id)->number));
}

void run_close(const Globals& globals, const RiskOptions& options) {
  Session session = open_session(globals);
  auto ledger = session.open_ledger();
  close_risk(*ledger, numbered_entry(*ledger, "risk", options.number).id, options.note,
             resolve_author(globals.author), session.now);
  note(globals, fmt::format("risk {} closed", options.number));
}

Json risk_json(const Risk& r, Zone zone) {
  auto or_null = [](const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); };
  Json closed = nullptr;
  if (r.closed) {
    closed = {{"id", r.closed->id},
              {"at", format_iso_local(r.closed->effective_at, zone)},
              {"note", or_null(r.closed->text)},
              {"author", r.closed->author}};
  }
  return {{"id", r.entry.id},
          {"entry_id", r.entry.id},
          {"number", r.entry.number},
          {"text", r.entry.text},
          {"probability", r.probability},
          {"impact", r.impact},
          {"action", or_null(r.action)},
          {"owner", or_null(r.owner)},
          {"opened_at", format_iso_local(r.entry.effective_at, zone)},
          {"author", r.entry.author},
          {"closed", closed}};
}

std::vector<std::string> risk_cells(const Risk& r, bool all, Zone zone) {
  std::vector<std::string> row = {
      std::to_string(r.entry.number),
      format_date(local_date(r.entry.effective_at, zone)),
      r.probability,
      r.impact,
      r.owner.empty() ? "-" : r.owner,
      r.entry.text + (r.action.empty() ? "" : " (action: " + r.action + ")")};
  if (all) {
    row.insert(row.begin() + 2,
               r.closed ? format_date(local_date(r.closed->effective_at, zone)) : "open");
  }
  return row;
}

void run_list(const Globals& globals, const RiskOptions& options) {
  Session session = open_session(globals);
  auto ledger = session.open_ledger(true);
  // Streamed, one risk at a time: a register of any length lists in a few MiB.
  ReadSnapshot snapshot(*ledger);
  if (options.json) {
    JsonListWriter out({{"version", 1}}, "risks");
    each_risk(*ledger, options.all, [&](const Risk& r) { out.add(risk_json(r, session.zone)); });
    out.finish();
    return;
  }
  std::vector<std::string> header = {"NO", "OPENED", "PROBABILITY", "IMPACT", "OWNER", "TEXT"};
  if (options.all) {
    header.insert(header.begin() + 2, "CLOSED");
  }
  std::size_t count = print_table_streamed(header, [&](const auto& print) {
    each_risk(*ledger, options.all,
              [&](const Risk& r) { print(risk_cells(r, options.all, session.zone)); });
  });
  if (count == 0) {
    std::printf("%s\n", options.all ? "No risks recorded yet."
                                    : "No open risks. Record one with pm risk add.");
  }
}

}  // namespace

void setup_risk(CLI::App& app, const Globals& globals) {
  CLI::App* risk = app.add_subcommand("risk", "The risk register: add, close, list");
  risk->require_subcommand(1);

  auto add = std::make_shared<RiskOptions>();
  CLI::App* cmd = risk->add_subcommand("add", "Record a risk; prints its number");
  cmd->add_option("text", add->input.text, "What may go wrong")->required();
  cmd->add_option("--probability", add->input.probability, "How likely: low, medium or high")
      ->required()
      ->check(CLI::IsMember(k_risk_levels));
  cmd->add_option("--impact", add->input.impact, "How much it would hurt: low, medium or high")
      ->required()
      ->check(CLI::IsMember(k_risk_levels));
  cmd->add_option("--action", add->input.action, "What we do about it");
  cmd->add_option("--owner", add->input.owner, "Who watches it")->option_text("NAME");
  cmd->callback([add, &globals] { run_add(globals, *add); });

  auto close = std::make_shared<RiskOptions>();
  cmd = risk->add_subcommand("close", "Close a risk (it stays in the ledger)");
  cmd->add_option("number", close->number, "The risk's number (pm risk list)")
      ->required()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--note", close->note, "How it ended");
  cmd->callback([close, &globals] { run_close(globals, *close); });

  auto list = std::make_shared<RiskOptions>();
  cmd = risk->add_subcommand("list", "List the open risks (all with --all)");
  cmd->add_flag("--all", list->all, "Include closed risks");
  cmd->add_flag("--json", list->json, "JSON for scripts (docs/json.md)");
  cmd->callback([list, &globals] { run_list(globals, *list); });
}

}  // namespace pm::cli
