#include "pm/storage/integrity.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <sstream>
#include <tuple>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>
#include <unistd.h>

#include "pm/storage/chain.hpp"
#include "pm/storage/schema.hpp"
#include "pm/util/error.hpp"
#include "pm/util/progress.hpp"
#include "pm/util/sha256.hpp"

namespace pm {

std::string ChainHead::text() const { return fmt::format("{}:{}", entries, hash); }

std::string ChainHead::short_text() const {
  return fmt::format("{}:{}", entries, hash.substr(0, k_short_hash));
}

ChainHead chain_head(SQLite::Database& db) {
  ChainHead head;
  // A search by the primary key: the newest entry is one row away whatever the ledger's size.
  SQLite::Statement last(db, "SELECT id, COALESCE(hash, '') FROM entries "
                             "WHERE id = (SELECT max(id) FROM entries)");
  if (last.executeStep()) {
    head.entries = last.getColumn(0).getInt64();
    head.hash = last.getColumn(1).getString();
  }
  return head;
}

ChainHead parse_head(const std::string& text, const std::string& what) {
  auto colon = text.find(':');
  ChainHead head;
  bool ok = colon != std::string::npos && colon > 0 && colon <= 18;
  for (std::size_t i = 0; ok && i < colon; ++i) {
    ok = std::isdigit(static_cast<unsigned char>(text[i])) != 0;
  }
  if (ok) {
    head.entries = std::stoll(text.substr(0, colon));
    head.hash = text.substr(colon + 1);
    std::transform(head.hash.begin(), head.hash.end(), head.hash.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    ok = head.hash.size() <= 64 &&
         std::all_of(head.hash.begin(), head.hash.end(),
                     [](unsigned char c) { return std::isxdigit(c) != 0; }) &&
         (head.entries == 0 ? head.hash.empty() : head.hash.size() >= k_min_anchor_hash);
  }
  if (!ok) {
    throw Error(fmt::format("{} '{}' is not a ledger head: write it as N:HASH, the entry count "
                            "and at least {} hex digits of the last entry's hash (as a "
                            "letter's 'Ledger:' line shows it)",
                            what, text, k_min_anchor_hash));
  }
  return head;
}

std::string check_anchor(SQLite::Database& db, const ChainHead& anchor, bool whole) {
  ChainHead now = chain_head(db);
  if (now.entries < anchor.entries) {
    return fmt::format("the ledger ends at entry {}, but the head names entry {}: entries "
                       "{}..{} were cut off the end",
                       now.entries, anchor.entries, now.entries + 1, anchor.entries);
  }
  if (anchor.entries > 0) {
    SQLite::Statement at(db, "SELECT COALESCE(hash, '') FROM entries WHERE id = ?");
    at.bind(1, static_cast<int64_t>(anchor.entries));
    std::string hash = at.executeStep() ? at.getColumn(0).getString() : std::string();
    if (!hash.starts_with(anchor.hash)) {
      return fmt::format("entry {} has hash {}, not {}: the chain up to it was rewritten "
                         "since the head was taken",
                         anchor.entries, hash.substr(0, anchor.hash.size()), anchor.hash);
    }
  }
  if (whole && now.entries > anchor.entries) {
    return fmt::format("the ledger has {} entries after the head's {}", now.entries - anchor.entries,
                       anchor.entries);
  }
  return "";
}

std::filesystem::path head_file(const std::string& ledger_path) {
  std::filesystem::path dir = std::filesystem::absolute(ledger_path).parent_path();
  if (ledger_path == ":memory:" || dir.filename() != ".pm") {
    return {};
  }
  return dir / "head";
}

std::optional<ChainHead> read_head_file(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) {
    return std::nullopt;
  }
  std::ifstream in(file, std::ios::binary);
  std::string line;
  if (!in || !std::getline(in, line)) {
    throw Error(fmt::format("cannot read {}; check its permissions", file.string()),
                Exit::integrity);
  }
  return parse_head(line, file.string());
}

void write_head_file(const std::filesystem::path& file, const ChainHead& head) {
  std::filesystem::path tmp = file;
  tmp += fmt::format(".{}.tmp", ::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << head.text() << '\n';
    if (!out.flush()) {
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      throw Error(fmt::format("cannot write {}", tmp.string()));
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, file, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    throw Error(fmt::format("cannot replace {}", file.string()));
  }
}

const std::vector<DerivedTable>& derived_tables() {
  // Each query states the rule the table's triggers (or writers) keep, from entries alone;
  // the schema steps' backfills use the same rules (schema.cpp, step 5).
  static const std::vector<DerivedTable> k_tables = {
      {"items", "id, kind, effective_at, due, closed_at", R"sql(
SELECT e.id, e.kind, e.effective_at, e.due,
       coalesce((SELECT min(r.effective_at) FROM entries r INDEXED BY entries_ref
                 WHERE r.ref = e.id
                   AND (r.kind IN ('agreement', 'done', 'risk-close')
                        OR (r.kind = 'agreement-state'
                            AND json_extract(r.data, '$.state') IN ('fulfilled', 'withdrawn')))
                   AND (r.kind = 'risk-close') = (e.kind = 'risk')),
                '9999-12-31T23:59:59Z')
FROM entries e WHERE e.kind IN ('agreement', 'risk'))sql"},
      {"change_approvals", "change_id, approved_at, days, total_days", R"sql(
SELECT change_id, approved_at, days,
       sum(days) OVER (ORDER BY approved_at, change_id ROWS UNBOUNDED PRECEDING)
FROM change_approval
WHERE change_id IN (SELECT ref FROM entries WHERE kind = 'change-decision'))sql"},
      // An entry names its fingerprint in 16 hex digits (an older one as a JSON integer); the
      // table holds it as a 64-bit integer: both sides are compared in hex.
      // The rows of `nps` entries (pm nps add, imports before schema step 9), one each; the rows
      // an `nps-import` entry covers are checked against its digest (check_nps_imports), and a
      // row naming any other entry is one the entries do not imply.
      {"nps_answers",
       "entry_id, answered_on, score, client, contact, manager, "
       "CASE WHEN fingerprint IS NOT NULL THEN printf('%016x', fingerprint) END, comment, at",
       R"sql(
SELECT id AS entry_id, coalesce(json_extract(data, '$.date'), ''), json_extract(data, '$.score'),
       coalesce(json_extract(data, '$.client'), ''), coalesce(json_extract(data, '$.contact'), ''),
       coalesce(json_extract(data, '$.manager'), ''),
       CASE json_type(data, '$.fingerprint')
            WHEN 'integer' THEN printf('%016x', json_extract(data, '$.fingerprint'))
            WHEN 'text' THEN lower(json_extract(data, '$.fingerprint')) END, NULL, NULL
FROM entries WHERE kind = 'nps')sql",
       "entry_id NOT IN (SELECT id FROM entries WHERE kind = 'nps-import')"},
      {"messages", "message_id, entry_id", R"sql(
SELECT json_extract(data, '$.message_id') AS message_id, min(id) AS entry_id FROM entries
WHERE kind IN ('letter', 'request', 'reply', 'escalation')
  AND json_extract(data, '$.message_id') IS NOT NULL
GROUP BY 1)sql"},
  };
  return k_tables;
}

std::vector<std::string> check_derived_tables(SQLite::Database& db) {
  std::vector<std::string> problems;
  for (const auto& t : derived_tables()) {
    std::string stored = fmt::format("SELECT {} FROM {}{}{}", t.columns, t.table,
                                     t.rows != nullptr ? " WHERE " : "",
                                     t.rows != nullptr ? t.rows : "");
    // Rows the table has that the entries do not imply (edited or inserted), and rows the
    // entries imply that the table lacks (edited or deleted); the first column is the key.
    std::string key = std::string(t.columns).substr(0, std::string(t.columns).find(','));
    auto differ = [&](const std::string& a, const std::string& b) {
      SQLite::Statement q(db, fmt::format("SELECT count(*), min({}) FROM ({} EXCEPT {})", key,
                                          a, b));
      q.executeStep();
      return std::make_pair(q.getColumn(0).getInt64(), q.getColumn(1).getString());
    };
    auto [extra, extra_key] = differ(stored, t.recompute);
    auto [lacking, lacking_key] = differ(t.recompute, stored);
    if (extra + lacking > 0) {
      problems.push_back(fmt::format(
          "table {} differs from what the entries imply ({} rows not implied, {} implied rows "
          "missing; first: {} {}): it was edited outside pm",
          t.table, extra, lacking, key, extra > 0 ? extra_key : lacking_key));
    }
  }
  std::vector<std::string> imports = check_nps_imports(db);
  problems.insert(problems.end(), imports.begin(), imports.end());
  return problems;
}

namespace {

/// A text column's bytes, NULs included (getText stops at the first).
std::string_view bytes(const SQLite::Column& c) {
  const auto* data = static_cast<const char*>(c.getBlob());
  return data == nullptr ? std::string_view()
                         : std::string_view(data, static_cast<std::size_t>(c.getBytes()));
}

}  // namespace

std::vector<std::string> check_nps_imports(SQLite::Database& db) {
  // What each import entry says of its answers.
  struct Import {
    std::int64_t answers = -1;  ///< -1: the data names no count
    std::string digest;
    std::int64_t rows = 0;  ///< found in nps_answers
    Sha256 hash;
  };
  std::map<std::int64_t, Import> imports;
  SQLite::Statement entries(
      db, "SELECT id, coalesce(json_extract(data, '$.answers'), -1), "
          "coalesce(json_extract(data, '$.digest'), '') FROM entries WHERE kind = 'nps-import'");
  while (entries.executeStep()) {
    Import& i = imports[entries.getColumn(0).getInt64()];
    i.answers = entries.getColumn(1).getInt64();
    i.digest = entries.getColumn(2).getString();
  }
  std::vector<std::string> problems;
  if (imports.empty()) {
    return problems;
  }
  // One pass over the table in row order, each row fed to its entry's digest.
  SQLite::Statement rows(
      db, "SELECT entry_id, answered_on, score, client, contact, manager, coalesce(comment, ''), "
          "coalesce(at, ''), fingerprint FROM nps_answers "
          "WHERE entry_id IN (SELECT id FROM entries WHERE kind = 'nps-import') ORDER BY id");
  std::string record;
  while (rows.executeStep()) {
    progress_step();
    Import& i = imports[rows.getColumn(0).getInt64()];
    record.clear();
    std::string fingerprint =
        rows.getColumn(8).isNull() ? std::string() : fingerprint_hex(rows.getColumn(8).getInt64());
    append_answer_record(record, AnswerRecord{bytes(rows.getColumn(1)),
                                              rows.getColumn(2).getInt64(), bytes(rows.getColumn(3)),
                                              bytes(rows.getColumn(4)), bytes(rows.getColumn(5)),
                                              bytes(rows.getColumn(6)), bytes(rows.getColumn(7)),
                                              fingerprint});
    i.hash.update(record);
    ++i.rows;
  }
  for (auto& [id, i] : imports) {
    std::string digest = i.hash.finish_hex();
    if (i.rows != i.answers) {
      problems.push_back(fmt::format(
          "entry {} (an NPS import) covers {} answers, but nps_answers holds {} rows for it: "
          "answers were added or removed outside pm",
          id, i.answers, i.rows));
    } else if (digest != i.digest) {
      problems.push_back(fmt::format(
          "entry {} (an NPS import): its answers in nps_answers no longer match the digest its "
          "hash covers: an answer was changed outside pm",
          id));
    }
  }
  return problems;
}

namespace {

struct SchemaObject {
  std::string type, table, sql;
};

/// What the schema steps create, by name: run once on an empty in-memory database.
const std::map<std::string, SchemaObject>& expected_objects() {
  static const std::map<std::string, SchemaObject> k_objects = [] {
    SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    for (const auto& step : schema_steps()) {
      db.exec(step.sql);
      if (step.after != nullptr) {
        step.after(db);
      }
    }
    std::map<std::string, SchemaObject> objects;
    SQLite::Statement q(db, "SELECT name, type, tbl_name, COALESCE(sql, '') FROM sqlite_master "
                            "WHERE name NOT LIKE 'sqlite_%'");
    while (q.executeStep()) {
      objects[q.getColumn(0).getString()] = {q.getColumn(1).getString(),
                                             q.getColumn(2).getString(),
                                             q.getColumn(3).getString()};
    }
    return objects;
  }();
  return k_objects;
}

}  // namespace

std::vector<std::string> check_schema_objects(SQLite::Database& db) {
  std::map<std::string, SchemaObject> found;
  SQLite::Statement q(db, "SELECT name, type, tbl_name, COALESCE(sql, '') FROM sqlite_master "
                          "WHERE name NOT LIKE 'sqlite_%'");
  while (q.executeStep()) {
    found[q.getColumn(0).getString()] = {q.getColumn(1).getString(), q.getColumn(2).getString(),
                                         q.getColumn(3).getString()};
  }
  std::vector<std::string> problems;
  for (const auto& [name, want] : expected_objects()) {
    auto it = found.find(name);
    if (it == found.end() || it->second.type != want.type) {
      problems.push_back(fmt::format("{} {} is missing: it was dropped outside pm", want.type,
                                     name));
    } else if (want.type != "table" && it->second.sql != want.sql) {
      // Tables are compared by presence only: ledgers of older formats were created by older
      // texts of the same columns (their rows are checked by the chain and derived_tables).
      problems.push_back(fmt::format("{} {} is not as pm creates it: it was changed outside pm",
                                     want.type, name));
    }
  }
  for (const auto& [name, have] : found) {
    if (have.type == "trigger" && expected_objects().count(name) == 0) {
      problems.push_back(fmt::format("trigger {} on {} is not pm's: it was added outside pm",
                                     name, have.table));
    }
  }
  return problems;
}

std::vector<std::string> missing_triggers(SQLite::Database& db) {
  // The names are read from the steps' SQL, not from an in-memory replay: this runs on every
  // reading command.
  static const std::vector<std::string> k_names = [] {
    std::vector<std::string> names;
    const std::string k_create = "CREATE TRIGGER ";
    for (const auto& step : schema_steps()) {
      std::string sql = step.sql;
      for (auto at = sql.find(k_create); at != std::string::npos;
           at = sql.find(k_create, at + 1)) {
        auto begin = at + k_create.size();
        names.push_back(sql.substr(begin, sql.find_first_of(" \n", begin) - begin));
      }
    }
    return names;
  }();
  std::vector<std::string> missing;
  SQLite::Statement q(db, "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?");
  for (const auto& name : k_names) {
    q.reset();
    q.bind(1, name);
    if (!q.executeStep()) {
      missing.push_back(name);
    }
  }
  return missing;
}

}  // namespace pm
