#pragma once
// NPS: clients' answers to "How likely are you to recommend us?" (0-10), recorded in the
// ledger, and the figures measured from them (docs/nps.md).
#include <array>
#include <cstdint>
#include <filesystem>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pm/storage/entry.hpp"
#include "pm/storage/ledger.hpp"
#include "pm/time/time.hpp"

namespace pm {

struct PortfolioProject;  // portfolio.hpp

/// Below this many answers a figure is too noisy to mean much, and pm says so.
constexpr std::int64_t k_nps_min_reliable = 30;

/// A score: a whole number from 0 to 10 ("9", " 10 "). Throws pm::Error
/// "WHAT: 'TEXT' is not a score from 0 to 10" for anything else (11, -1, 7.5, ten, "").
int parse_score(std::string_view text, std::string_view what);

/// "promoter" (9-10), "passive" (7-8) or "detractor" (0-6).
const char* nps_category(int score);

/// How many answers fell in each category.
struct NpsCounts {
  std::int64_t promoters = 0;
  std::int64_t passives = 0;
  std::int64_t detractors = 0;

  std::int64_t n() const { return promoters + passives + detractors; }
  void add(int score, std::int64_t count = 1);
  NpsCounts& operator+=(const NpsCounts& other);
};

/// The figures of a set of answers. Shares and NPS are in points (0-100, -100..100); they are
/// meaningful only when n > 0.
struct NpsFigure {
  NpsCounts counts;
  std::int64_t n = 0;
  double promoters_pct = 0;
  double passives_pct = 0;
  double detractors_pct = 0;
  double nps = 0;     ///< %promoters - %detractors
  double margin = 0;  ///< 95% margin of error: 1.96 * 100 * sqrt((p + d - (p - d)^2) / n)
  bool reliable = false;  ///< n >= k_nps_min_reliable
};
NpsFigure nps_figure(const NpsCounts& counts);

/// The figure as JSON (docs/json.md): exact values; null shares, NPS and margin when n = 0.
Json nps_figure_json(const NpsFigure& figure);

/// A figure shown to whole points: rounded half away from zero ("33", "-13").
std::string whole_points(double value);

/// A bar from -100 to +100 around a centre line, `half` cells a side (10 points a cell), e.g.
/// "          │███       " for +30; just the centre line when there is no figure.
std::string nps_bar(std::optional<double> nps, int half = 10);

// --- Recording ---------------------------------------------------------------------------

/// One answer, with its defaults already applied.
struct NpsAnswer {
  Date date{};                ///< the day it was given, in the project's zone
  std::optional<Instant> at;  ///< when exactly, if known; else the start of `date`
  int score = 0;
  std::string client;
  std::string contact;
  std::string manager;
  std::string comment;
};

/// Who records answers, and when.
struct NpsWriteContext {
  std::string author;
  std::string source = "cli";
  Instant now{};
  Zone zone = nullptr;
};

/// Records one answer: an `nps` entry and its row in nps_answers, in one transaction.
/// Returns the entry's id.
EntryId add_nps_answer(Ledger& ledger, const NpsAnswer& answer, const NpsWriteContext& context);

/// What an import did.
struct NpsImportResult {
  std::int64_t rows = 0;     ///< answers in the file
  std::int64_t added = 0;    ///< recorded now
  std::int64_t skipped = 0;  ///< already recorded by an earlier import of the same rows
  EntryId entry = 0;         ///< the `nps-import` entry written; 0 when nothing was added
};

/// Values for columns a file lacks or leaves empty.
struct NpsDefaults {
  std::string client;
  std::string manager;
};

/// Imports a CSV survey export (header row; columns date, score, client, contact, manager,
/// comment in any order, others ignored; date and score required) in one transaction: one
/// bad row rejects the whole file with "NAME:LINE: column COL: ..." and records nothing.
/// The new answers become rows of nps_answers under one entry of kind `nps-import` (text
/// "Imported N NPS answers from NAME"; data: file, rows, answers, skipped, and digest, the
/// SHA-256 of the rows' canonical forms, chain.hpp), written only when an answer is new.
/// Rows recorded by an earlier import are skipped, so importing a file twice adds nothing.
/// Identical rows within the file are told apart by counting them. Into a ledger that holds no
/// fingerprint yet: a 2 MiB filter of the rows seen, a lookup among the import's own rows for a
/// row it may have seen, and the counts of up to `rows_in_memory` repeated rows in memory.
/// Otherwise: the first `rows_in_memory` distinct rows in memory (about 40 bytes each), further
/// ones in a temporary table. Memory stays bounded however long the file is.
NpsImportResult import_nps_csv(Ledger& ledger, std::istream& in, const std::string& name,
                               const NpsDefaults& defaults, const NpsWriteContext& context,
                               std::size_t rows_in_memory = 100000);

/// The fingerprint of an imported row: FNV-1a (64 bits) of the row's six columns as written
/// (trimmed) and of `occurrence`, the number of identical rows up to it in its file.
std::int64_t nps_fingerprint(const std::array<std::string_view, 6>& columns,
                             std::int64_t occurrence);

// --- Measuring ----------------------------------------------------------------------------

/// How answers are grouped.
enum class NpsBy { total, client, manager, month, quarter, project };
/// "client" → NpsBy::client ...; throws pm::Error listing the choices.
NpsBy parse_nps_by(const std::string& name);
const char* nps_by_name(NpsBy by);

/// Answers given on or after `since` and on or before `until` (both days included).
struct NpsPeriod {
  std::optional<Date> since;
  std::optional<Date> until;
};

/// The counts of one group: a client, a manager, a month ("2026-11"), a quarter ("2026-Q4"),
/// a project; the key is empty for the total.
struct NpsGroup {
  std::string key;
  NpsCounts counts;
};

/// Counts per group, aggregated by SQLite over its indexes (no answer is loaded into memory),
/// ordered by key. For NpsBy::total, one group. NpsBy::project is not a ledger grouping.
std::vector<NpsGroup> nps_groups(Ledger& ledger, NpsBy by, const NpsPeriod& period);

/// Adds `from` into `into`, group by group, keeping the keys ordered.
void merge_nps_groups(std::vector<NpsGroup>& into, const std::vector<NpsGroup>& from);

/// For months and quarters, inserts empty groups for the periods between the first and the
/// last group that had no answers, so a trend shows its gaps.
void fill_nps_gaps(std::vector<NpsGroup>& groups, NpsBy by);

// --- Portfolio ----------------------------------------------------------------------------

/// One project of a portfolio that could be read.
struct NpsProject {
  std::filesystem::path root;
  std::string name;
  NpsCounts counts;  ///< within the period
};

/// One project that could not be read, and why.
struct NpsSkipped {
  std::filesystem::path root;
  std::string reason;
};

struct NpsPortfolio {
  std::vector<NpsGroup> groups;  ///< merged across the projects read
  std::vector<NpsProject> projects;
  std::vector<NpsSkipped> skipped;
  std::vector<NpsSkipped> warnings;  ///< what opening a project that was read warned of
};

/// Reads each project's ledger read-only, one at a time, through the portfolio's list of
/// projects (portfolio.hpp, each_portfolio_project), and merges their groups; a missing or
/// unreadable project is recorded in `skipped`, never fatal for the rest. NpsBy::manager keys
/// an answer's manager by the project's manager email (lower case) when the answer names the
/// project's manager (case folded) and project.yaml gives an email, shown "Name <email>" with
/// the name most projects use; any other name stays as the answers wrote it (docs/nps.md).
NpsPortfolio read_nps_portfolio(const std::vector<PortfolioProject>& projects, NpsBy by,
                                const NpsPeriod& period);
/// The same over project directories (directory_projects: the same directory given twice is
/// read once).
NpsPortfolio read_nps_portfolio(const std::vector<std::filesystem::path>& roots, NpsBy by,
                                const NpsPeriod& period);

}  // namespace pm
