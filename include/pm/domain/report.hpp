#pragma once
// The status report: what a period's ledger says, assembled once into a plain struct and then
// written as text, Markdown, JSON (docs/json.md) or a weekly-status letter.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <mstch/mstch.hpp>

#include "pm/domain/changes.hpp"
#include "pm/storage/integrity.hpp"
#include "pm/storage/ledger.hpp"
#include "pm/util/chunked_output.hpp"
#include "pm/time/calendar.hpp"
#include "pm/time/period.hpp"
#include "pm/domain/project.hpp"
#include "pm/domain/risks.hpp"

namespace pm {

/// How far ahead "coming up" looks, in days.
constexpr int k_upcoming_days = 14;

struct ReportNote {
  EntryId id = 0;
  std::int64_t number = 0;  ///< decisions: the decision's number; 0 for notes
  std::string text;
  Date date{};
  std::string author;
};

struct ReportAgreement {
  EntryId id = 0;
  std::int64_t number = 0;
  std::string text;
  Date date{};                     ///< when it was agreed
  std::string due;                 ///< YYYY-MM-DD or empty
  std::optional<EntryId> supersedes;
  std::int64_t supersedes_number = 0;  ///< the agreement it replaces, by number; 0: none
};

/// A step of an agreement's life recorded in the period: confirmed, disputed, fulfilled,
/// withdrawn (an agreement-state entry or a done note that fulfils one).
struct ReportAgreementStep {
  EntryId id = 0;               ///< the step's entry
  std::int64_t number = 0;      ///< the agreement's number
  std::string text;             ///< the agreement's text
  std::string state;            ///< confirmed, disputed, fulfilled or withdrawn
  std::string by;               ///< who confirmed or disputed
  std::string note;             ///< evidence or reason
  Date date{};
};

/// A dated item: an open agreement's due date, or the project deadline (no id).
struct ReportDate {
  Date date{};
  std::string text;
  std::optional<EntryId> id;
  std::int64_t number = 0;  ///< the agreement's number
};

/// The period's communication with the client (docs/communication.md): letters sent, the
/// client's requests received and how fast they were answered, on the project's calendar.
struct ReportCommunication {
  int letters = 0;    ///< letter entries of the period (sent, imported or recorded)
  int requests = 0;   ///< requests received in the period
  int replied = 0;    ///< of those, replied to by now
  int breaches = 0;   ///< of those, replied past the SLA or still waiting past it
  std::optional<std::chrono::seconds> median_reply;  ///< working time; empty: none replied
  std::chrono::seconds target{};                     ///< the SLA's reply time
  bool empty() const { return letters == 0 && requests == 0; }
};

struct Report {
  std::string project;
  std::string timezone;
  Period period;
  Date as_of{};  ///< the day "coming up" and "overdue" count from: today, or the period's end
  std::vector<ReportNote> done;
  std::vector<ReportNote> next;
  /// Agreed in the period and not replaced by its end: only the current version is shown.
  std::vector<ReportAgreement> agreements;
  /// Agreements confirmed, disputed, fulfilled or withdrawn in the period, in order.
  std::vector<ReportAgreementStep> agreement_steps;
  std::vector<ReportNote> decisions;  ///< Decision: entries of the period, not replaced
  std::vector<Change> changes;  ///< proposed or decided in the period; state at its end
  std::vector<Risk> risks;      ///< open at the period's end
  std::vector<Risk> closed_risks;  ///< closed in the period, in the order they were closed
  std::vector<ReportDate> upcoming;
  std::vector<ReportDate> overdue;
  Deadline deadline;  ///< at the period's end
  bool off_plan = false;  ///< something is overdue
  ChainHead ledger_head;  ///< the ledger's head when the report was built (the footer's anchor)
  /// Set when the report was built with the project's calendar (reply times need it).
  std::optional<ReportCommunication> communication;
};

/// Assembles the report of `period`. Every read is an indexed range query: the period's
/// entries by (kind, effective_at), dated agreements by due, change decisions and risks by kind;
/// notes of other weeks are never read.
/// "Coming up" runs k_upcoming_days from the day it counts from, or to `upcoming_until`
/// (exclusive) when given (a monthly digest looks to the end of the next month).
/// With `calendar`, the report's communication is measured on it.
Report build_report(Ledger& ledger, const ProjectConfig& config, const Period& period, Instant now,
                    std::optional<Date> upcoming_until = std::nullopt,
                    const Calendar* calendar = nullptr);

/// The report written as it goes, a chunk at a time to `sink` (cut between lines, or between
/// JSON tokens), so that a busy week's output is never whole in memory. Text and Markdown are
/// as the ledger holds them (the caller makes them printable); the JSON is printable as it is
/// (JsonWriter). The functions below return the same text whole.
void write_report_text(const Report& report, const std::string& language, bool color,
                       const std::string& next_steps, const TextSink& sink);
void write_report_markdown(const Report& report, const std::string& language,
                           const std::string& next_steps, const TextSink& sink);
void write_report_json(const Report& report, const std::string& next_steps, int indent,
                       const TextSink& sink);
/// The report as an HTML <article> (h1, a section with an h2 each, lists), every text escaped
/// (html.hpp): a page puts it in its <main> (pm report --format html, pm publish).
void write_report_html(const Report& report, const std::string& language,
                       const std::string& next_steps, const TextSink& sink);
std::string report_html(const Report& report, const std::string& language,
                        const std::string& next_steps = "");

/// For a terminal: plain text in `language`, headings in bold when `color`.
std::string report_text(const Report& report, const std::string& language, bool color,
                        const std::string& next_steps = "");
/// For a chat or a wiki.
std::string report_markdown(const Report& report, const std::string& language,
                            const std::string& next_steps = "");
/// The documented JSON shape (docs/json.md), language-neutral, as text (`indent` as
/// dump_json's): written as it goes, without a Json tree of a busy week.
std::string report_json_text(const Report& report, const std::string& next_steps = "",
                             int indent = 2);
/// The same, parsed.
Json report_json(const Report& report, const std::string& next_steps = "");
/// A dated item as the report names it: "#3 Launch", or "Project deadline".
std::string dated_text(const ReportDate& date, const std::string& language);
/// The deadline as the report states it: kept, moved from the baseline by approved changes,
/// or not set.
std::string deadline_sentence(const Deadline& deadline, const std::string& language);
/// The `report` variable of the weekly-status letter (docs/templates.md).
mstch::map report_node(const Report& report, const std::string& language);
}  // namespace pm
