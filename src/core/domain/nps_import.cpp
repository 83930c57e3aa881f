// Importing a CSV survey export: streamed row by row into one transaction, all or nothing; the
// answers become rows of nps_answers under one `nps-import` entry that covers their digest.
// Longer than 400 lines: the header, the row reader, the two ways identical rows are counted
// and the row writer are one pipeline, private to this file.
#include <algorithm>
#include <array>
#include <charconv>
#include <cstdlib>
#include <iterator>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <unordered_map>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "nps_writer.hpp"
#include "pm/storage/chain.hpp"
#include "pm/storage/schema.hpp"
#include "pm/util/csv.hpp"
#include "pm/util/error.hpp"
#include "pm/util/progress.hpp"
#include "pm/util/sha256.hpp"
#include "pm/util/text.hpp"

namespace pm {

namespace {

/// The columns pm reads, in fingerprint order; date and score are required.
enum Column : std::size_t { k_date, k_score, k_client, k_contact, k_manager, k_comment, k_count };
const std::array<const char*, k_count> k_column_names = {"date",    "score",   "client",
                                                          "contact", "manager", "comment"};

struct Layout {
  std::array<std::size_t, k_count> index{};  ///< the column's field, or npos
  std::size_t width = 0;                     ///< fields in the header
};

constexpr std::size_t k_none = static_cast<std::size_t>(-1);

/// "';'-separated", as the messages about the header say how the file was read.
std::string delimiter_name(char delimiter) {
  return delimiter == '\t' ? "tab-separated" : fmt::format("'{}'-separated", delimiter);
}

Layout read_header(CsvReader& csv, const std::vector<std::string>& fields) {
  Layout layout;
  layout.index.fill(k_none);
  layout.width = fields.size();
  std::vector<std::string> names;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    std::string name(detail::trim(fields[i]));
    std::transform(name.begin(), name.end(), name.begin(), [](char c) {
      return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    });
    for (std::size_t c = 0; c < k_count; ++c) {
      if (name == k_column_names[c]) {
        if (layout.index[c] != k_none) {
          throw Error(fmt::format("{}:{}: the header names the column {} twice", csv.name(),
                                  csv.line(), name));
        }
        layout.index[c] = i;
      }
    }
    names.push_back(std::move(name));
  }
  for (std::size_t c : {k_date, k_score}) {
    if (layout.index[c] == k_none) {
      std::string seen;
      for (const auto& n : names) {
        seen += (seen.empty() ? "" : ", ") + (n.empty() ? std::string("(empty)") : n);
        if (seen.size() > 200) {
          seen += ", ...";
          break;
        }
      }
      // Say how the file was read: a header in one piece usually means another delimiter.
      throw Error(fmt::format("{}:{}: read as {}: columns {}; expected a '{}' column (the "
                              "header row must name date and score; client, contact, manager "
                              "and comment are optional; ',', ';' and tab are recognised)",
                              csv.name(), csv.line(), delimiter_name(csv.delimiter()), seen,
                              k_column_names[c]));
    }
  }
  csv.set_column_names(std::move(names));
  return layout;
}

/// A strict YYYY-MM-DD that exists, without building an error message.
std::optional<Date> quick_date(std::string_view t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') {
    return std::nullopt;
  }
  int value[3] = {0, 0, 0};
  const std::pair<std::size_t, std::size_t> parts[3] = {{0, 4}, {5, 2}, {8, 2}};
  for (int p = 0; p < 3; ++p) {
    for (std::size_t i = parts[p].first; i < parts[p].first + parts[p].second; ++i) {
      if (t[i] < '0' || t[i] > '9') {
        return std::nullopt;
      }
      value[p] = value[p] * 10 + (t[i] - '0');
    }
  }
  Date day{date::year{value[0]}, date::month{static_cast<unsigned>(value[1])},
           date::day{static_cast<unsigned>(value[2])}};
  return day.ok() ? std::optional<Date>(day) : std::nullopt;
}

/// Reads rows into answers; its errors name the file, the line and the column.
class RowReader {
 public:
  RowReader(CsvReader& csv, const Layout& layout, const NpsDefaults& defaults, Zone zone)
      : m_csv(csv), m_layout(layout), m_defaults(defaults), m_zone(zone) {}

  /// False for a row with nothing in it (spreadsheets export those).
  bool read(const std::vector<std::string>& fields, std::array<std::string_view, k_count>& raw,
            NpsAnswer& a) {
    if (fields.size() != m_layout.width) {
      if (std::all_of(fields.begin(), fields.end(),
                      [](const std::string& f) { return detail::trim(f).empty(); })) {
        return false;
      }
      throw Error(fmt::format("{}:{}: {} fields, but the header has {}; the file is read as {}, "
                              "so a value holding a '{}' must be in double quotes",
                              m_csv.name(), m_csv.line(), fields.size(), m_layout.width,
                              delimiter_name(m_csv.delimiter()),
                              m_csv.delimiter() == '\t' ? "tab" : std::string(1, m_csv.delimiter())));
    }
    for (std::size_t c = 0; c < k_count; ++c) {
      std::size_t i = m_layout.index[c];
      raw[c] = i == k_none ? std::string_view() : detail::trim(fields[i]);
    }
    if (raw[k_date].empty() && std::all_of(fields.begin(), fields.end(), [](const auto& f) {
          return detail::trim(f).empty();
        })) {
      return false;
    }
    read_date(raw[k_date], a);
    a.score = detail::score_value(raw[k_score]);
    if (a.score < 0) {
      parse_score(raw[k_score], where(k_score));  // throws the message
    }
    for (std::size_t c : {k_client, k_contact, k_manager}) {
      if (std::string problem = detail::name_problem(raw[c]); !problem.empty()) {
        throw Error(fmt::format("{}: {}", where(c), problem));
      }
    }
    if (!detail::is_utf8(raw[k_comment])) {
      throw Error(fmt::format("{}: not valid UTF-8; save the file as UTF-8", where(k_comment)));
    }
    a.client = raw[k_client].empty() ? m_defaults.client : std::string(raw[k_client]);
    a.contact = raw[k_contact];
    a.manager = raw[k_manager].empty() ? m_defaults.manager : std::string(raw[k_manager]);
    a.comment = raw[k_comment];
    return true;
  }

 private:
  std::string where(std::size_t column) const {
    return fmt::format("{}:{}: column {}", m_csv.name(), m_csv.line(), k_column_names[column]);
  }

  void read_date(std::string_view text, NpsAnswer& a) {
    a.at.reset();
    if (auto day = quick_date(text)) {
      a.date = *day;
      return;
    }
    if (text.empty()) {
      throw Error(fmt::format("{}: empty; every answer needs the day it was given (YYYY-MM-DD)",
                              where(k_date)));
    }
    // Survey tools often export a time as well: with an offset it is an instant (its day in
    // the project's zone counts); without one, its own date counts.
    auto day = quick_date(text.substr(0, 10));
    if (day && text.size() > 10 && (text[10] == 'T' || text[10] == ' ')) {
      std::string_view rest = text.substr(11);
      bool local_time = (rest.size() == 5 || rest.size() == 8) && rest[2] == ':' &&
                        std::all_of(rest.begin(), rest.end(), [](char c) {
                          return (c >= '0' && c <= '9') || c == ':';
                        });
      if (local_time) {
        a.date = *day;
        return;
      }
      try {
        Instant at = parse_instant(text, "");
        a.at = at;
        a.date = local_date(at, m_zone);
        return;
      } catch (const Error&) {
        // not a time either: report it as a date below
      }
    }
    parse_date(text, where(k_date));  // throws the message
    throw Error(fmt::format("{}: '{}' is not a date", where(k_date), text));
  }

  CsvReader& m_csv;
  const Layout& m_layout;
  const NpsDefaults& m_defaults;
  Zone m_zone;
};

/// Counts identical rows of one file, so that the n-th of them gets occurrence n. The first
/// `in_memory` distinct rows are counted in memory (fast); any further ones in a temporary
/// table, so that memory stays bounded however long the file is.
class OccurrenceCounter {
 public:
  OccurrenceCounter(SQLite::Database& db, std::size_t in_memory)
      : m_db(db), m_in_memory(in_memory) {}
  ~OccurrenceCounter() {
    if (m_spill) {
      m_spill.reset();
      try {
        m_db.exec("DROP TABLE IF EXISTS temp.nps_import_seen");
      } catch (const std::exception&) {
        // a temporary table goes with the connection anyway
      }
    }
  }
  OccurrenceCounter(const OccurrenceCounter&) = delete;
  OccurrenceCounter& operator=(const OccurrenceCounter&) = delete;

  std::int64_t next(std::int64_t row_hash) {
    if (!m_slots.empty()) {
      Slot& slot = find(row_hash);
      if (slot.count > 0) {
        return ++slot.count;
      }
      if (m_size < m_in_memory && 5 * (m_size + 1) <= 4 * m_slots.size()) {
        slot = Slot{row_hash, 1};
        ++m_size;
        return 1;
      }
    }
    if (m_size < m_in_memory) {
      grow();
      find(row_hash) = Slot{row_hash, 1};
      ++m_size;
      return 1;
    }
    if (!m_spill) {
      m_db.exec("CREATE TEMP TABLE IF NOT EXISTS nps_import_seen "
                "(row_hash INTEGER PRIMARY KEY, n INTEGER NOT NULL)");
      m_db.exec("DELETE FROM temp.nps_import_seen");
      m_spill = std::make_unique<SQLite::Statement>(
          m_db, "INSERT INTO temp.nps_import_seen (row_hash, n) VALUES (?, 1) "
                "ON CONFLICT (row_hash) DO UPDATE SET n = n + 1 RETURNING n");
    }
    m_spill->reset();
    m_spill->bind(1, static_cast<int64_t>(row_hash));
    m_spill->executeStep();
    std::int64_t n = m_spill->getColumn(0).getInt64();
    m_spill->reset();
    return n;
  }

 private:
  // The in-memory counts: an open-addressing table (linear probing, at most 80% full), one
  // cache miss a row where a node-based map took two and a division, and less memory.
  struct Slot {
    std::int64_t row_hash = 0;
    std::int64_t count = 0;  ///< 0: an empty slot
  };

  Slot& find(std::int64_t row_hash) {
    const std::size_t mask = m_slots.size() - 1;
    // The row hash is FNV-1a already; the multiplication spreads its high bits to the low ones.
    std::size_t i = static_cast<std::size_t>(
                        (static_cast<std::uint64_t>(row_hash) * 0x9E3779B97F4A7C15ULL) >> 32) &
                    mask;
    while (m_slots[i].count > 0 && m_slots[i].row_hash != row_hash) {
      i = (i + 1) & mask;
    }
    return m_slots[i];
  }

  void grow() {
    std::vector<Slot> old = std::move(m_slots);
    m_slots.assign(old.empty() ? 1024 : 2 * old.size(), Slot{});
    for (const Slot& slot : old) {
      if (slot.count > 0) {
        find(slot.row_hash) = slot;
      }
    }
  }

  SQLite::Database& m_db;
  std::size_t m_in_memory;
  std::vector<Slot> m_slots;  // empty, or a power of two
  std::size_t m_size = 0;     // slots in use
  std::unique_ptr<SQLite::Statement> m_spill;
};

/// PRAGMA cache_size for as long as it lives.
class CacheSize {
 public:
  CacheSize(SQLite::Database& db, int kib) : m_db(db) {
    m_before = db.execAndGet("PRAGMA cache_size").getInt();
    db.exec(fmt::format("PRAGMA cache_size = -{}", kib));
  }
  ~CacheSize() {
    try {
      m_db.exec(fmt::format("PRAGMA cache_size = {}", m_before));
    } catch (const std::exception&) {
      // only a cache size
    }
  }
  CacheSize(const CacheSize&) = delete;
  CacheSize& operator=(const CacheSize&) = delete;

 private:
  SQLite::Database& m_db;
  int m_before = 0;
};

/// The page cache while an import inserts its rows, and while it sorts the fingerprint index
/// (the CacheSize around the import puts the default back). At 1,000,000 rows most of the
/// time is random inserts into the breakdown index (which sqlite3's .import pays as well):
/// 6 MiB took 7.0 s of CPU, 5 MiB 8.0 s, 4 MiB 9.2 s, but each MiB is one more of peak memory
/// (16.1 MiB with 5 MiB); 4.5 MiB keeps the peak under 16 MiB with some margin.
constexpr int k_import_cache_kib = 4608;
constexpr int k_index_sort_cache_kib = 2 * 1024;

/// "100,000": a count as the import entry's text gives it.
std::string grouped(std::int64_t n) { return grouped_digits(std::to_string(n)); }

/// Writes one import's answers as rows of nps_answers, all of them under the entry that
/// finish() appends last (its hash covers their digest): one prepared INSERT a row, nothing
/// per row but the row and its canonical form fed to the digest.
class ImportRows {
 public:
  ImportRows(SQLite::Database& db, const NpsWriteContext& context)
      : m_db(db), m_context(context) {
    // Asked inside the import's IMMEDIATE transaction: nobody appends meanwhile. The entry
    // takes the next id; its rows name it before it exists (no foreign key: schema step 9).
    m_entry = db.execAndGet("SELECT COALESCE(max(id), 0) + 1 FROM entries").getInt64();
    m_skip_recorded =
        db.execAndGet("SELECT EXISTS (SELECT 1 FROM nps_answers WHERE fingerprint IS NOT NULL)")
            .getInt() != 0;
    std::string sql =
        "INSERT INTO nps_answers (entry_id, answered_on, score, client, contact, manager, "
        "fingerprint, comment, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    if (m_skip_recorded) {
      // An earlier import's row: skipped, found through the unique index as it is inserted.
      sql += " ON CONFLICT (fingerprint) DO NOTHING";
    } else {
      // No fingerprint is recorded yet, so none of this file's can be: the unique index is
      // built once at the end (a sort) instead of row by row (a random insert each).
      db.exec("DROP INDEX nps_answers_fingerprint");
    }
    m_insert = std::make_unique<SQLite::Statement>(db, sql);
    m_insert->bind(1, static_cast<int64_t>(m_entry));
  }

  /// Writes the answer's row unless an earlier import recorded it; true when written.
  bool add(const NpsAnswer& a, const std::string& day, std::int64_t fingerprint) {
    m_fingerprint = fingerprint_hex(fingerprint);
    m_at.clear();
    if (a.at) {
      m_at = format_utc(*a.at);
    }
    SQLite::Statement& insert = *m_insert;
    insert.bindNoCopy(2, day);  // the strings outlive exec(): no copies
    insert.bind(3, a.score);
    insert.bindNoCopy(4, a.client);
    insert.bindNoCopy(5, a.contact);
    insert.bindNoCopy(6, a.manager);
    insert.bind(7, static_cast<int64_t>(fingerprint));
    insert.bindNoCopy(8, a.comment);
    if (a.at) {
      insert.bindNoCopy(9, m_at);
    } else {
      insert.bind(9);
    }
    const bool written = insert.exec() > 0;
    insert.reset();
    if (written) {
      m_record.clear();
      append_answer_record(m_record, AnswerRecord{day, a.score, a.client, a.contact, a.manager,
                                                  a.comment, m_at, m_fingerprint});
      m_digest.update(m_record);
    }
    return written;
  }

  /// Whether the ledger held fingerprints when the import began (its rows may be skipped).
  bool skips_recorded() const { return m_skip_recorded; }
  /// The id the import's entry will have.
  EntryId entry() const { return m_entry; }

  /// "YYYY-MM-DD" of `date`: the text add() takes (rows come in runs of one day).
  const std::string& day_text(Date date) {
    if (m_day_text.empty() || date != m_day) {
      m_day = date;
      m_day_text = format_date(date);
    }
    return m_day_text;
  }

  /// Appends the import's entry, whose data holds the digest of the rows written; returns its
  /// id. The caller commits.
  EntryId finish(Ledger& ledger, const std::string& name, const NpsImportResult& result) {
    if (!m_skip_recorded) {
      // SQLite's sorter keeps as much in memory as the page cache may hold: a smaller cache
      // for the sort keeps the import's peak memory where the inserts had it.
      m_db.exec(fmt::format("PRAGMA cache_size = -{}", k_index_sort_cache_kib));
      m_db.exec(nps_fingerprint_index_sql());
    }
    Entry e;
    e.kind = "nps-import";
    e.recorded_at = m_context.now;
    e.effective_at = m_context.now;
    e.author = m_context.author;
    e.source = m_context.source;
    e.text = fmt::format("Imported {} NPS answer{} from {}{}", grouped(result.added),
                         result.added == 1 ? "" : "s", name,
                         result.skipped == 0
                             ? ""
                             : fmt::format(" ({} already recorded, skipped)",
                                           grouped(result.skipped)));
    e.data = Json::object();
    e.data["file"] = name;
    e.data["rows"] = result.rows;
    e.data["answers"] = result.added;
    e.data["skipped"] = result.skipped;
    e.data["digest"] = m_digest.finish_hex();
    EntryId id = ledger.append_in_transaction(e);
    if (id != m_entry) {
      throw std::logic_error(fmt::format("the NPS import entry became {}, not {}", id, m_entry));
    }
    return id;
  }

 private:

  SQLite::Database& m_db;
  const NpsWriteContext& m_context;
  EntryId m_entry = 0;
  bool m_skip_recorded = false;
  std::unique_ptr<SQLite::Statement> m_insert;
  Sha256 m_digest;
  std::string m_record;  // one row's canonical form, reused
  std::string m_fingerprint;
  std::string m_at;
  Date m_day{};
  std::string m_day_text;
};

}  // namespace

namespace {

// FNV-1a, 64 bits: the columns, then the occurrence. An import hashes each row's columns once
// and goes on from there twice (occurrence 0 to count identical rows, then the row's own).
std::uint64_t fnv_feed(std::uint64_t hash, std::string_view bytes) {
  for (unsigned char c : bytes) {
    hash = (hash ^ c) * 1099511628211ULL;
  }
  return hash;
}

std::uint64_t fnv_columns(const std::array<std::string_view, 6>& columns) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (std::string_view column : columns) {
    hash = fnv_feed(hash, column);
    hash = fnv_feed(hash, "\x1f");  // unit separator: "ab","c" and "a","bc" differ
  }
  return hash;
}

std::int64_t fnv_occurrence(std::uint64_t columns_hash, std::int64_t occurrence) {
  char digits[24];
  auto [end, ec] = std::to_chars(std::begin(digits), std::end(digits), occurrence);
  (void)ec;  // 24 digits hold any int64
  return static_cast<std::int64_t>(
      fnv_feed(columns_hash, std::string_view(digits, static_cast<std::size_t>(end - digits))));
}

/// Counts identical rows of a file imported into a ledger that holds no fingerprint yet, so
/// that every fingerprint in nps_answers is this import's (OccurrenceCounter counts the others).
/// A blocked Bloom filter of the rows seen (2 MiB: about 0.5% false positives at 1,000,000
/// distinct rows, more beyond) tells almost every new row at one cache miss and no lookup. A row
/// it may have seen is looked up among this import's rows of the same day, score, manager and
/// client (the breakdown index): how many of fingerprints 1, 2, ... of its columns they hold is
/// how many identical rows came before it. Rows seen twice or more are then counted in memory,
/// up to `in_memory` of them (further ones are looked up each time).
class FreshOccurrences {
 public:
  FreshOccurrences(SQLite::Database& db, EntryId entry, std::size_t in_memory)
      : m_bits(static_cast<std::uint64_t*>(std::calloc(k_blocks * 8, sizeof(std::uint64_t)))),
        m_lookup(db, "SELECT fingerprint FROM nps_answers WHERE answered_on = ? AND score = ? "
                     "AND manager = ? AND client = ? AND entry_id = ?"),
        m_in_memory(in_memory) {
    if (!m_bits) {
      throw std::bad_alloc();
    }
    m_lookup.bind(5, static_cast<int64_t>(entry));
  }

  /// The occurrence of a row whose columns hash to `columns_hash` and whose answer is `a`.
  std::int64_t next(std::uint64_t columns_hash, const NpsAnswer& a, const std::string& day) {
    if (!seen(columns_hash)) {
      return 1;
    }
    if (auto it = m_repeated.find(columns_hash); it != m_repeated.end()) {
      return ++it->second;
    }
    m_found.clear();
    m_lookup.reset();
    m_lookup.bindNoCopy(1, day);
    m_lookup.bind(2, a.score);
    m_lookup.bindNoCopy(3, a.manager);
    m_lookup.bindNoCopy(4, a.client);
    while (m_lookup.executeStep()) {
      m_found.push_back(m_lookup.getColumn(0).getInt64());
    }
    m_lookup.reset();
    std::int64_t n = 1;
    while (std::find(m_found.begin(), m_found.end(), fnv_occurrence(columns_hash, n)) !=
           m_found.end()) {
      ++n;
    }
    if (n > 1 && m_repeated.size() < m_in_memory) {
      m_repeated.emplace(columns_hash, n);
    }
    return n;
  }

 private:
  static constexpr std::size_t k_blocks = std::size_t{1} << 15;  // of 512 bits: 2 MiB

  /// Whether the filter holds `columns_hash` (maybe: a false positive is possible); adds it.
  bool seen(std::uint64_t columns_hash) {
    // splitmix64's finaliser: FNV-1a's bits spread over the whole word.
    std::uint64_t z = columns_hash;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    std::uint64_t* block = m_bits.get() + (z & (k_blocks - 1)) * 8;
    bool all = true;
    for (int probe = 0; probe < 4; ++probe) {
      const auto bit = static_cast<unsigned>((z >> (15 + 9 * probe)) & 511);
      const std::uint64_t mask = std::uint64_t{1} << (bit & 63);
      std::uint64_t& word = block[bit >> 6];
      all = all && (word & mask) != 0;
      word |= mask;
    }
    return all;
  }

  struct Free {
    void operator()(std::uint64_t* p) const { std::free(p); }
  };
  // calloc: the pages are the kernel's zeroed ones, resident only once a row touches them.
  std::unique_ptr<std::uint64_t[], Free> m_bits;
  SQLite::Statement m_lookup;
  std::size_t m_in_memory;
  std::unordered_map<std::uint64_t, std::int64_t> m_repeated;
  std::vector<std::int64_t> m_found;
};

}  // namespace

std::int64_t nps_fingerprint(const std::array<std::string_view, 6>& columns,
                             std::int64_t occurrence) {
  return fnv_occurrence(fnv_columns(columns), occurrence);
}

NpsImportResult import_nps_csv(Ledger& ledger, std::istream& in, const std::string& name,
                               const NpsDefaults& defaults, const NpsWriteContext& context,
                               std::size_t rows_in_memory) {
  CsvReader csv(in, name);
  csv.detect_delimiter();
  std::vector<std::string> fields;
  if (!csv.next(fields)) {
    throw Error(fmt::format("{} is empty; it needs a header row such as "
                            "date,score,client,contact,manager,comment",
                            name));
  }
  Layout layout = read_header(csv, fields);
  RowReader rows(csv, layout, defaults, context.zone);
  NpsImportResult result;
  SQLite::Database& db = ledger.db();
  try {
    // A larger page cache while importing: index pages stay in memory instead of being
    // spilled and read back; the default comes back afterwards.
    CacheSize cache(db, k_import_cache_kib);
    WriteTransaction tx(ledger);
    ImportRows writer(db, context);
    // Identical rows of the file are counted by the filter and the table when every recorded
    // fingerprint is this import's, else (rows may be skipped) by the counter.
    std::optional<FreshOccurrences> fresh;
    std::optional<OccurrenceCounter> counter;
    if (writer.skips_recorded()) {
      counter.emplace(db, rows_in_memory);
    } else {
      fresh.emplace(db, writer.entry(), rows_in_memory);
    }
    std::array<std::string_view, k_count> raw;
    NpsAnswer answer;
    while (csv.next(fields)) {
      progress_step();
      if (!rows.read(fields, raw, answer)) {
        continue;
      }
      ++result.rows;
      const std::uint64_t columns_hash = fnv_columns(raw);
      const std::string& day = writer.day_text(answer.date);
      const std::int64_t occurrence =
          fresh ? fresh->next(columns_hash, answer, day)
                : counter->next(fnv_occurrence(columns_hash, 0));
      result.added += writer.add(answer, day, fnv_occurrence(columns_hash, occurrence)) ? 1 : 0;
    }
    result.skipped = result.rows - result.added;
    // Their memory goes before the fingerprint index is sorted.
    fresh.reset();
    counter.reset();
    if (result.added > 0) {
      result.entry = writer.finish(ledger, name, result);
      tx.commit();
    }  // else nothing was written: the transaction rolls back
  } catch (const std::exception& e) {
    rethrow_sqlite(e, ledger.path(), "import into");
  }
  return result;
}

}  // namespace pm
