// pm export and pm import: every entry with its hash, and after each NPS import entry its
// answers. Longer than 400 lines: both formats, both directions and the fast jsonl writer.
#include "pm/storage/transfer.hpp"

#include <algorithm>
#include <optional>
#include <string_view>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>
#include <fmt/format.h>

#include "pm/storage/chain.hpp"
#include "pm/storage/integrity.hpp"
#include "pm/util/csv.hpp"
#include "pm/util/check.hpp"
#include "pm/util/error.hpp"
#include "pm/util/json.hpp"
#include "pm/util/progress.hpp"
#include "pm/util/sha256.hpp"

namespace pm {

namespace {

/// An NPS entry's import fingerprint: 16 hex digits (as pm writes it), or a JSON integer (as
/// older ledgers did); nullopt for an answer added by hand.
std::optional<std::int64_t> fingerprint_of(const Json& data) {
  const auto it = data.find("fingerprint");
  if (it == data.end()) {
    return std::nullopt;
  }
  if (it->is_number_integer()) {
    return it->get<std::int64_t>();
  }
  if (it->is_string()) {
    const auto& hex = it->get_ref<const std::string&>();
    std::uint64_t bits = 0;
    if (hex.size() != 16) {
      return std::nullopt;
    }
    for (char c : hex) {
      int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
      if (digit < 0) {
        return std::nullopt;
      }
      bits = bits << 4 | static_cast<std::uint64_t>(digit);
    }
    return static_cast<std::int64_t>(bits);
  }
  return std::nullopt;
}

/// The answers an `nps-import` entry covers, as an import of an export reads them after the
/// entry: counted and digested as they come, checked against the entry when the next record
/// begins.
struct PendingAnswers {
  std::int64_t entry = 0;  ///< 0: no import entry is open
  std::int64_t expected = 0;
  std::string digest;
  std::string where;  ///< the entry's line
  std::int64_t rows = 0;
  Sha256 hash;
};

/// Closes the open import entry, if any: its answers must be the ones its digest covers.
void finish_answers(PendingAnswers& pending) {
  if (pending.entry == 0) {
    return;
  }
  if (pending.rows != pending.expected || pending.hash.finish_hex() != pending.digest) {
    throw Error(fmt::format("{}: entry {} covers {} NPS answers, but the {} after it do not "
                            "match its digest; the export was edited",
                            pending.where, pending.entry, pending.expected, pending.rows));
  }
  pending = PendingAnswers();
}

const char* k_answer = "nps answer";

/// One NPS answer of an import entry, as an export carries it (docs/json.md): `fields` holds
/// date, score, client, contact, manager, comment, at and fingerprint.
void insert_answer(SQLite::Statement& insert, PendingAnswers& pending, std::int64_t entry,
                   const Json& fields, const std::string& where) {
  if (pending.entry == 0 || entry != pending.entry) {
    throw Error(fmt::format("{}: an NPS answer of entry {} must follow that entry (an NPS import) "
                            "and its other answers",
                            where, entry));
  }
  auto text = [&](const char* key, bool nullable) -> std::optional<std::string> {
    auto it = fields.find(key);
    if (it != fields.end() && it->is_string()) {
      return it->get<std::string>();
    }
    if (nullable && it != fields.end() && it->is_null()) {
      return std::nullopt;
    }
    throw Error(fmt::format("{}: the NPS answer's '{}' must be {}", where, key,
                            nullable ? "a string or null" : "a string"));
  };
  auto score = fields.find("score");
  if (score == fields.end() || !score->is_number_integer()) {
    throw Error(fmt::format("{}: the NPS answer's 'score' must be a whole number", where));
  }
  std::string date = *text("date", false);
  std::string client = *text("client", false);
  std::string contact = *text("contact", false);
  std::string manager = *text("manager", false);
  std::string comment = *text("comment", false);
  std::optional<std::string> at = text("at", true);
  std::optional<std::string> fingerprint_text = text("fingerprint", true);
  std::optional<std::int64_t> fingerprint;
  if (fingerprint_text) {
    fingerprint = fingerprint_of(Json{{"fingerprint", *fingerprint_text}});
    if (!fingerprint || fingerprint_hex(*fingerprint) != *fingerprint_text) {
      throw Error(fmt::format("{}: the NPS answer's fingerprint '{}' is not 16 hex digits", where,
                              *fingerprint_text));
    }
  }
  insert.reset();
  insert.bind(1, static_cast<int64_t>(entry));
  insert.bind(2, date);
  insert.bind(3, score->get<std::int64_t>());
  insert.bind(4, client);
  insert.bind(5, contact);
  insert.bind(6, manager);
  if (fingerprint) {
    insert.bind(7, static_cast<int64_t>(*fingerprint));
  } else {
    insert.bind(7);
  }
  insert.bind(8, comment);
  if (at) {
    insert.bind(9, *at);
  } else {
    insert.bind(9);
  }
  insert.exec();
  std::string record;
  append_answer_record(record, AnswerRecord{date, score->get<std::int64_t>(), client, contact,
                                            manager, comment, at.value_or(""),
                                            fingerprint_text.value_or("")});
  pending.hash.update(record);
  ++pending.rows;
}

/// A text the export writes as a JSON string: valid UTF-8 as stored, anything else with U+FFFD.
void append_export_string(std::string& out, std::string_view text) {
  if (valid_utf8(text)) {
    append_json_string(out, text);
  } else {
    append_json_string(out, utf8_replaced(std::string(text)));
  }
}

// `number` is the per-kind number (schema step 6); exports made before it lack the column and
// still import, numbered in id order.
const std::vector<std::string> k_columns = {"id",   "kind", "number", "recorded_at",
                                            "effective_at", "author", "source", "text",
                                            "ref",  "due",  "data", "hash"};
const std::vector<std::string> k_columns_before_numbers = {
    "id", "kind", "recorded_at", "effective_at", "author", "source", "text", "ref", "due",
    "data", "hash"};
const char* k_header = R"({"pm":"ledger export","version":1})";
// The final record, after the last entry: an export cut at a line boundary lacks it.
const char* k_end = "end";

/// The final record's check: it must come last, and agree with what was read before it.
void check_end(std::int64_t count, const std::string& count_text, const std::string& head,
               const std::string& last_hash, const std::string& where) {
  if (count_text != std::to_string(count) || head != last_hash) {
    throw Error(fmt::format("{}: the final record says {}:{}, but the export holds {}:{} before "
                            "it; the export was cut or edited: export again",
                            where, count_text, head, count, last_hash));
  }
}

Error no_end(const std::string& name, std::int64_t count) {
  return Error(fmt::format("{}: the export has no final record after its {} entries: it was cut "
                           "short (or written by an older pm, which kept none); export again",
                           name, count));
}

std::string csv_field(const std::string& stored) {
  // An older ledger may hold bytes that are not UTF-8: the export stays UTF-8 (as U+FFFD).
  std::string value = utf8_replaced(stored);
  if (value.find_first_of(",\"\r\n") == std::string::npos) {
    return value;
  }
  std::string out = "\"";
  for (char c : value) {
    out += c;
    if (c == '"') {
      out += '"';
    }
  }
  return out + "\"";
}

/// One exported entry: the stored columns as text, in k_columns order.
using Row = std::vector<std::string>;

Row row_from_json(const std::string& line, const std::string& where) {
  Json j = Json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    throw Error(fmt::format("{}: not a JSON object; is this a pm export?", where));
  }
  Row row;
  for (const auto& column : k_columns) {
    if (column == "number" && !j.contains(column)) {
      row.push_back("");  // an export made before numbers
      continue;
    }
    if (!j.contains(column)) {
      throw Error(fmt::format("{}: the entry has no '{}'", where, column));
    }
    const Json& v = j[column];
    if (v.is_null()) {
      row.push_back("");
    } else if (column == "data") {
      row.push_back(dump_json(v));
    } else if (v.is_string()) {
      row.push_back(v.get<std::string>());
    } else if (v.is_number_integer()) {
      row.push_back(std::to_string(v.get<std::int64_t>()));
    } else {
      throw Error(fmt::format("{}: '{}' has the wrong type", where, column));
    }
  }
  return row;
}

std::int64_t to_id(const std::string& text, const std::string& where, const char* what) {
  try {
    std::size_t used = 0;
    std::int64_t id = std::stoll(text, &used);
    if (used == text.size() && id > 0) {
      return id;
    }
  } catch (const std::exception&) {
  }
  throw Error(fmt::format("{}: {} '{}' is not an entry id", where, what, text));
}

/// Appends the exported entry `row`, whose predecessor's hash is `prev_hash`; returns its hash.
std::string insert_row(Ledger& ledger, SQLite::Statement& nps, const Row& row,
                       const std::string& where, const std::string& prev_hash,
                       PendingAnswers& pending) {
  finish_answers(pending);
  Entry e;
  std::int64_t id = to_id(row[0], where, "id");
  e.kind = row[1];
  if (!is_entry_kind(e.kind)) {
    throw Error(fmt::format("{}: '{}' is not an entry kind", where, e.kind));
  }
  e.recorded_at = parse_utc(row[3]);
  e.effective_at = parse_utc(row[4]);
  e.author = row[5];
  e.source = row[6];
  e.text = row[7];
  if (!row[8].empty()) {
    e.ref = to_id(row[8], where, "ref");
  }
  e.due = row[9];
  const std::string& data = row[10];
  Json parsed = Json::parse(data, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    throw Error(fmt::format("{}: data is not a JSON object", where));
  }
  if (!row[2].empty()) {
    e.number = to_id(row[2], where, "number");
    // An entry written before schema step 6 was hashed without its number: it comes back so.
    StoredEntry s{id,     e.kind, row[3], row[4], row[5], row[6],
                  row[7], row[8], row[9], data,   row[2]};
    e.number_hashed = entry_hash(prev_hash, s) == row[11];
  } else {
    e.number_hashed = false;  // an export from before numbers: the ledger numbers it
  }
  EntryId got = ledger.append_in_transaction(e, &data);
  if (got != id) {
    throw Error(fmt::format("{}: entry {} would become entry {}; an export holds every entry "
                            "from 1 on, in order",
                            where, id, got));
  }
  SQLite::Statement stored(ledger.db(), "SELECT hash FROM entries WHERE id = ?");
  stored.bind(1, static_cast<int64_t>(got));
  std::string hash = stored.executeStep() ? stored.getColumn(0).getString() : std::string();
  if (hash != row[11]) {
    throw Error(fmt::format("{}: entry {} does not match its hash; the export was edited, or "
                            "an entry before it was",
                            where, id));
  }
  if (e.kind == "nps") {
    // The measuring row the NPS reports read, rebuilt from the entry (docs/nps.md).
    nps.reset();
    nps.bind(1, static_cast<int64_t>(got));
    nps.bind(2, parsed.value("date", ""));
    nps.bind(3, parsed.value("score", -1));
    nps.bind(4, parsed.value("client", ""));
    nps.bind(5, parsed.value("contact", ""));
    nps.bind(6, parsed.value("manager", ""));
    if (std::optional<std::int64_t> fingerprint = fingerprint_of(parsed)) {
      nps.bind(7, *fingerprint);
    } else {
      nps.bind(7);
    }
    nps.bind(8);
    nps.bind(9);
    nps.exec();
  } else if (e.kind == "nps-import") {
    // Its answers follow it, one record each; finish_answers checks them against its digest.
    pending.entry = got;
    pending.expected = parsed.value("answers", std::int64_t{-1});
    pending.digest = parsed.value("digest", "");
    pending.where = where;
  }
  return hash;
}


/// An entry's export line as it was first written, through a Json: each column set in k_columns
/// order (Json keeps insertion order), `data` parsed (bytes that are not UTF-8, an older
/// ledger's, become U+FFFD; text that is not JSON exports as a string), the whole dumped by
/// dump_json. The fast path below falls back to it for any row it cannot copy.
std::string jsonl_line_parsed(SQLite::Statement& stmt) {
  Json j;
  for (int i = 0; i < static_cast<int>(k_columns.size()); ++i) {
    const auto& column = k_columns[static_cast<std::size_t>(i)];
    SQLite::Column c = stmt.getColumn(i);
    if (c.isNull()) {
      j[column] = nullptr;
    } else if (column == "data") {
      // Bytes that are not UTF-8 (an older ledger's) export as U+FFFD, never as a failure.
      j[column] = Json::parse(utf8_replaced(c.getString()), nullptr, false);
      if (j[column].is_discarded()) {
        j[column] = utf8_replaced(c.getString());
      }
    } else if (c.isInteger()) {
      j[column] = c.getInt64();
    } else {
      j[column] = c.getString();
    }
  }
  return dump_json(j);
}

/// A column's value as SQLite::Column::getString reads it (the bytes of text or a blob),
/// without the copy.
std::string_view column_bytes(const SQLite::Column& c) {
  (void)c.getBytes();  // converts the value to text first, as getString does
  const auto* data = static_cast<const char*>(c.getBlob());
  const auto size = static_cast<std::size_t>(c.getBytes());
  return data == nullptr ? std::string_view() : std::string_view(data, size);
}

/// The line jsonl_line_parsed writes, written directly into `line`: keys in k_columns order,
/// values escaped as dump_json does, `data` copied when its stored text is canonical
/// (is_canonical_json). False, with `line` undefined, for a row it cannot vouch for (text that is
/// not UTF-8, data that is not canonical): the caller writes that one through Json.
bool append_jsonl_line(SQLite::Statement& statement, std::string& line) {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> all;
    for (std::size_t i = 0; i < k_columns.size(); ++i) {
      all.push_back((i == 0 ? "{\"" : ",\"") + k_columns[i] + "\":");
    }
    return all;
  }();
  static const int data_column = static_cast<int>(
      std::find(k_columns.begin(), k_columns.end(), "data") - k_columns.begin());
  line.clear();
  for (int i = 0; i < static_cast<int>(k_columns.size()); ++i) {
    line += keys[static_cast<std::size_t>(i)];
    const SQLite::Column c = statement.getColumn(i);
    const int type = c.getType();
    if (type == SQLITE_NULL) {
      line += "null";
    } else if (i == data_column) {
      const std::string_view data = column_bytes(c);
      if (!is_canonical_json(data)) {
        return false;
      }
      line += data;
    } else if (type == SQLITE_INTEGER) {
      line += std::to_string(c.getInt64());
    } else {
      const std::string_view text = column_bytes(c);
      if (!valid_utf8(text)) {
        return false;  // dump_json's U+FFFD: left to it
      }
      append_json_string(line, text);
    }
  }
  line += '}';
  return true;
}

/// An NPS answer's fields as an export writes them, without braces: "date":"...","score":9,
/// "client":...,"contact":...,"manager":...,"comment":...,"at":...|null,"fingerprint":...|null.
void answer_fields(SQLite::Statement& row, std::string& out) {
  out.clear();
  static const char* const k_keys[] = {"date", "score", "client", "contact", "manager",
                                       "comment", "at", "fingerprint"};
  for (int i = 1; i <= 8; ++i) {
    out += i == 1 ? "\"" : ",\"";
    out += k_keys[i - 1];
    out += "\":";
    const SQLite::Column c = row.getColumn(i);
    if (c.isNull()) {
      out += "null";
    } else if (i == 2) {
      out += std::to_string(c.getInt64());
    } else if (i == 8) {
      out += '"' + fingerprint_hex(c.getInt64()) + '"';
    } else {
      append_export_string(out, column_bytes(c));
    }
  }
}

}  // namespace

ExportFormat parse_export_format(const std::string& name) {
  if (name == "jsonl") {
    return ExportFormat::jsonl;
  }
  if (name == "csv") {
    return ExportFormat::csv;
  }
  throw Error(fmt::format("unknown export format '{}'; use jsonl or csv", name));
}

std::int64_t export_ledger(Ledger& ledger, ExportFormat format, std::ostream& out) {
  SQLite::Statement stmt(ledger.db(),
                         "SELECT id, kind, (SELECT n.number FROM numbers n WHERE n.entry_id = "
                         "entries.id), recorded_at, effective_at, author, source, text, ref, "
                         "due, data, hash FROM entries ORDER BY id");
  // The answers of import entries in row order, read alongside: each entry's follow it.
  SQLite::Statement answers(
      ledger.db(),
      "SELECT entry_id, answered_on, score, client, contact, manager, comment, at, fingerprint "
      "FROM nps_answers WHERE entry_id IN (SELECT id FROM entries WHERE kind = 'nps-import') "
      "ORDER BY id");
  bool answer_ready = answers.executeStep();
  std::int64_t count = 0;
  std::string line;
  std::string fields;
  if (format == ExportFormat::jsonl) {
    out << k_header << '\n';
  } else {
    for (std::size_t i = 0; i < k_columns.size(); ++i) {
      out << (i == 0 ? "" : ",") << k_columns[i];
    }
    out << "\r\n";
  }
  while (stmt.executeStep()) {
    ++count;
    progress_step();
    if (format == ExportFormat::jsonl) {
      if (!append_jsonl_line(stmt, line)) {
        line = jsonl_line_parsed(stmt);
      }
      line += '\n';
      out.write(line.data(), static_cast<std::streamsize>(line.size()));
    } else {
      for (int i = 0; i < static_cast<int>(k_columns.size()); ++i) {
        out << (i == 0 ? "" : ",") << csv_field(stmt.getColumn(i).getString());
      }
      out << "\r\n";
    }
    if (stmt.getColumn(1).getString() != "nps-import") {
      continue;
    }
    const std::int64_t entry = stmt.getColumn(0).getInt64();
    // Rows written before their entry's (only by hand) are left behind, never misplaced.
    while (answer_ready && answers.getColumn(0).getInt64() < entry) {
      answer_ready = answers.executeStep();
    }
    for (; answer_ready && answers.getColumn(0).getInt64() == entry;
         answer_ready = answers.executeStep()) {
      answer_fields(answers, fields);
      if (format == ExportFormat::jsonl) {
        line = fmt::format("{{\"pm\":\"{}\",\"entry\":{},{}}}\n", k_answer, entry, fields);
        out.write(line.data(), static_cast<std::streamsize>(line.size()));
      } else {
        out << k_answer << ',' << entry << std::string(9, ',') << csv_field("{" + fields + "}")
            << ",\r\n";
      }
    }
  }
  ChainHead head = chain_head(ledger.db());
  if (format == ExportFormat::jsonl) {
    out << Json{{"pm", k_end}, {"entries", count}, {"head", head.hash}}.dump() << '\n';
  } else {
    out << k_end << ',' << count << ',' << head.hash << std::string(k_columns.size() - 3, ',')
        << "\r\n";
  }
  return count;
}

std::int64_t import_ledger(Ledger& ledger, std::istream& in, const std::string& name) {
  if (ledger.db().execAndGet("SELECT count(*) FROM entries").getInt64() != 0) {
    throw Error("the project's ledger is not empty; import into a new project (pm init DIR, "
                "then pm -C DIR import FILE)");
  }
  std::int64_t count = 0;
  std::string last_hash;
  try {
    WriteTransaction tx(ledger);
    SQLite::Statement nps(ledger.db(),
                          "INSERT INTO nps_answers (entry_id, answered_on, score, client, "
                          "contact, manager, fingerprint, comment, at) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    PendingAnswers pending;
    if (in.peek() == '{') {
      std::string line;
      read_line_limited(in, line, k_record_limit, name);
      if (line != k_header) {
        throw Error(fmt::format("{}:1: not a pm export (expected {})", name, k_header));
      }
      bool ended = false;
      for (std::int64_t number = 2;
           read_line_limited(in, line, k_record_limit, fmt::format("{}:{}", name, number));
           ++number) {
        std::string where = fmt::format("{}:{}", name, number);
        if (line.empty()) {
          continue;
        }
        if (ended) {
          throw Error(fmt::format("{}: a line after the final record; is this one export?",
                                  where));
        }
        Json j = Json::parse(line, nullptr, false);
        if (j.is_object() && j.value("pm", "") == k_answer) {
          auto entry = j.find("entry");
          insert_answer(nps, pending,
                        entry != j.end() && entry->is_number_integer() ? entry->get<std::int64_t>()
                                                                       : 0,
                        j, where);
          progress_step();
          continue;
        }
        if (j.is_object() && j.value("pm", "") == k_end) {
          finish_answers(pending);
          if (!j.contains("entries") || !j["entries"].is_number_integer() ||
              !j.contains("head") || !j["head"].is_string()) {
            throw Error(fmt::format("{}: the final record needs 'entries' and 'head'", where));
          }
          check_end(count, std::to_string(j["entries"].get<std::int64_t>()),
                    j["head"].get<std::string>(), last_hash, where);
          ended = true;
          continue;
        }
        last_hash =
            insert_row(ledger, nps, row_from_json(line, where), where, last_hash, pending);
        ++count;
        progress_step();
      }
      if (!ended) {
        throw no_end(name, count);
      }
    } else {
      CsvReader reader(in, name);
      std::vector<std::string> fields;
      bool numbered = true;
      if (reader.next(fields) && fields == k_columns_before_numbers) {
        numbered = false;
      } else if (fields != k_columns) {
        throw Error(fmt::format("{}:1: not a pm export: the header must be {}", name,
                                "id,kind,number,recorded_at,effective_at,author,source,text,ref,"
                                "due,data,hash"));
      }
      const std::size_t width = numbered ? k_columns.size() : k_columns_before_numbers.size();
      bool ended = false;
      while (reader.next(fields)) {
        std::string where = fmt::format("{}:{}", name, reader.line());
        if (ended) {
          throw Error(fmt::format("{}: a row after the final record; is this one export?",
                                  where));
        }
        if (fields.size() != width) {
          throw Error(fmt::format("{}: expected {} fields, found {}", where, width,
                                  fields.size()));
        }
        if (fields[0] == k_answer && numbered) {
          Json answer = Json::parse(fields[10], nullptr, false);
          if (!answer.is_object()) {
            throw Error(fmt::format("{}: the NPS answer's data is not a JSON object", where));
          }
          insert_answer(nps, pending, to_id(fields[1], where, "entry"), answer, where);
          progress_step();
          continue;
        }
        if (fields[0] == k_end) {
          finish_answers(pending);
          check_end(count, fields[1], fields[2], last_hash, where);
          ended = true;
          continue;
        }
        if (!numbered) {
          fields.insert(fields.begin() + 2, std::string());
        }
        last_hash = insert_row(ledger, nps, fields, where, last_hash, pending);
        ++count;
        progress_step();
      }
      if (!ended) {
        throw no_end(name, count);
      }
    }
    tx.commit();
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    rethrow_sqlite(e, ledger.path(), "import into");
  }
  return count;
}

}  // namespace pm
