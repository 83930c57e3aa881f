#include "pm/agreements.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <pwd.h>
#include <unistd.h>

#include <fmt/format.h>

#include "pm/error.hpp"
#include "pm/git_config.hpp"
#include "pm/text.hpp"

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
  if (!explicit_author.empty()) {
    return explicit_author;
  }
  if (const char* env = std::getenv("PM_AUTHOR"); env != nullptr && *env != '\0') {
    return env;
  }
  if (std::string git = git_user_name(); !git.empty()) {
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
  e.effective_at = input.meeting.empty() ? now : parse_date_or_instant(input.meeting, zone, "--meeting");
  if (!input.due.empty()) {
    e.due = format_date(parse_date(input.due, "--due"));
  }
  e.author = input.author;
  e.source = input.source;
  e.data["with"] = input.with;
  e.data["tags"] = input.tags;
  if (input.supersedes) {
    auto old = ledger.find(*input.supersedes);
    if (!old) {
      throw Error(fmt::format("--supersedes {}: there is no such entry; 'pm agreements --all' "
                              "lists them",
                              *input.supersedes));
    }
    if (old->kind != "agreement") {
      throw Error(fmt::format("--supersedes {}: entry {} is a {}, not an agreement",
                              *input.supersedes, old->id, old->kind));
    }
    for (const auto& row : list_agreements(ledger, true, std::nullopt)) {
      if (row.entry.id == old->id && row.superseded_by) {
        throw Error(fmt::format("agreement {} was already superseded by {}; supersede {} instead",
                                old->id, *row.superseded_by, *row.superseded_by));
      }
    }
    e.ref = old->id;
  }
  return ledger.append(e);
}

std::vector<AgreementRow> list_agreements(Ledger& ledger, bool all, std::optional<Instant> since) {
  EntryQuery q;
  q.kinds = {"agreement"};
  std::map<EntryId, EntryId> superseded;
  std::vector<Entry> entries = ledger.list(q);
  for (const auto& e : entries) {
    if (e.ref) {
      superseded[*e.ref] = e.id;
    }
  }
  std::vector<AgreementRow> out;
  for (auto& e : entries) {
    AgreementRow row{std::move(e), std::nullopt};
    if (auto it = superseded.find(row.entry.id); it != superseded.end()) {
      row.superseded_by = it->second;
    }
    if ((!all && row.superseded_by) || (since && row.entry.effective_at < *since)) {
      continue;
    }
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace pm
