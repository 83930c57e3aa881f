// The jsonl export writes its lines directly (stored data copied when it is canonical): checked
// byte for byte against the export as it was written before, through a Json per line.
#include <catch2/catch.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

#include "pm/storage/chain.hpp"
#include "pm/storage/integrity.hpp"
#include "pm/storage/ledger.hpp"
#include "pm/storage/transfer.hpp"
#include "pm/util/check.hpp"
#include "pm/util/json.hpp"

using namespace pm;

namespace {

/// The jsonl export as pm wrote it before the direct writer (src/core/storage/transfer.cpp at
/// 5eda600), kept here as the reference the new one must equal byte for byte.
std::string reference_export(Ledger& ledger) {
  const std::vector<std::string> columns = {"id",   "kind", "number", "recorded_at",
                                            "effective_at", "author", "source", "text",
                                            "ref",  "due",  "data", "hash"};
  SQLite::Statement stmt(ledger.db(),
                         "SELECT id, kind, (SELECT n.number FROM numbers n WHERE n.entry_id = "
                         "entries.id), recorded_at, effective_at, author, source, text, ref, "
                         "due, data, hash FROM entries ORDER BY id");
  std::ostringstream out;
  std::int64_t count = 0;
  out << R"({"pm":"ledger export","version":1})" << '\n';
  while (stmt.executeStep()) {
    ++count;
    Json j;
    for (int i = 0; i < static_cast<int>(columns.size()); ++i) {
      const auto& column = columns[static_cast<std::size_t>(i)];
      SQLite::Column c = stmt.getColumn(i);
      if (c.isNull()) {
        j[column] = nullptr;
      } else if (column == "data") {
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
    out << dump_json(j) << '\n';
  }
  ChainHead head = chain_head(ledger.db());
  out << Json{{"pm", "end"}, {"entries", count}, {"head", head.hash}}.dump() << '\n';
  return out.str();
}

std::string new_export(Ledger& ledger) {
  std::ostringstream out;
  export_ledger(ledger, ExportFormat::jsonl, out);
  return out.str();
}

Entry entry(const std::string& kind, const std::string& text, Json data = Json::object()) {
  Entry e;
  e.kind = kind;
  e.text = text;
  e.recorded_at = parse_instant("2026-11-20T10:00:00Z", "t");
  e.effective_at = parse_instant("2026-11-19T08:30:00Z", "t");
  e.author = "Пётр \"Петя\" Иванов";
  e.data = std::move(data);
  return e;
}

/// Inserts a row as an older or edited ledger might hold it: any bytes, any SQLite type.
void insert_raw(Ledger& ledger, const std::string& kind, const std::string& text,
                const std::string& data) {
  SQLite::Statement insert(ledger.db(),
                           "INSERT INTO entries (kind, recorded_at, effective_at, author, "
                           "source, text, data, hash) VALUES (?, '2026-11-20T10:00:00Z', "
                           "'2026-11-20T10:00:00Z', 'old', 'cli', ?, ?, 'x')");
  insert.bind(1, kind);
  insert.bind(2, text);
  insert.bind(3, data);
  insert.exec();
}

/// Appends `e` through the ledger, or, when the door refuses it (control characters), inserts
/// the row as pm would have written it (data as Json::dump) without the door.
void add(Ledger& ledger, const Entry& e) {
  try {
    ledger.append(e);
  } catch (const std::exception&) {
    insert_raw(ledger, e.kind, e.text, e.data.dump());
  }
}

/// A string of tricky characters: control characters, quotes, backslashes, U+007F,
/// Cyrillic, a 4-byte character, JSON punctuation.
std::string tricky(std::mt19937& random, std::size_t length) {
  static const std::vector<std::string> pieces = {
      "a", "Z", " ", "\"", "\\", "/", "\b", "\f", "\n", "\r", "\t", std::string(1, '\0'),
      "\x01", "\x1f", "\x7f", "é", "Ж", "щ", "ё", "€", "😀", "{", "}", "[", "]", ":", ",",
      "\\u0041", "0", "-", ".", "e", "\xc2\x80", "\xe2\x80\xa8"};
  std::string out;
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
  for (std::size_t i = 0; i < length; ++i) {
    out += pieces[pick(random)];
  }
  return out;
}

}  // namespace

TEST_CASE("append_json_string escapes as dump_json does", "[transfer]") {
  for (int c = 0; c < 0x80; ++c) {
    std::string text = "x" + std::string(1, static_cast<char>(c)) + "y";
    std::string out;
    append_json_string(out, text);
    CHECK(out == dump_json(Json(text)));
  }
  std::mt19937 random(7);
  for (int i = 0; i < 500; ++i) {
    std::string text = tricky(random, static_cast<std::size_t>(i % 40));
    std::string out;
    append_json_string(out, text);
    CHECK(out == dump_json(Json(text)));
  }
}

TEST_CASE("is_canonical_json accepts exactly what parse and dump leave unchanged", "[transfer]") {
  const std::vector<std::string> yes = {
      "{}", "[]", "null", "true", "false", "0", "-1", "9999999999999999999",
      "-999999999999999999", R"("")", R"({"a":1,"b":[1,2,{"c":null}]})",
      R"({"s":"\u0000\u001f\b\t\n\f\r\"\\"})", "{\"s\":\"\x7f é 😀/\"}",
      R"({"b":1,"a":2})"};
  for (const auto& text : yes) {
    INFO(text);
    CHECK(is_canonical_json(text));
    CHECK(dump_json(Json::parse(text)) == text);
  }
  const std::vector<std::string> no = {
      "", " {}", "{} ", "{ }", R"({"a": 1})", R"({"a":1,"a":2})", "-0", "01", "1.0", "1e3",
      "1E3", "99999999999999999999", "18446744073709551615", "-9223372036854775808", R"("\/")", R"("\u0041")",
      R"("\u001F")", R"("\u0009")", R"("\u00e9")", "{\"s\":\"a\tb\"}", "\"\xff\"", "[1,]",
      "{\"a\":1,}", "nul", "truex", "'a'", "[1 ]", "{\"a\":1}}", "\"abc"};
  for (const auto& text : no) {
    INFO(text);
    CHECK_FALSE(is_canonical_json(text));
  }
  std::string deep(300, '[');
  deep += std::string(300, ']');
  CHECK_FALSE(is_canonical_json(deep));
  // Random texts: whenever one is taken as canonical, parse and dump leave it unchanged.
  std::mt19937 random(11);
  int canonical = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string text = tricky(random, static_cast<std::size_t>(1 + i % 12));
    if (i % 3 == 0) {
      text = "{\"k\":\"" + text + "\"}";
    } else if (i % 3 == 1) {
      text = "[" + text + "]";
    }
    if (is_canonical_json(text)) {
      ++canonical;
      Json parsed = Json::parse(text, nullptr, false);
      INFO(text);
      REQUIRE_FALSE(parsed.is_discarded());
      CHECK(dump_json(parsed) == text);
    }
  }
  CHECK(canonical > 1000);
}

TEST_CASE("the jsonl export is byte-identical to the one written through Json", "[transfer]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  // Entries as pm writes them: numbered kinds, references, due dates, NPS answers, nested data.
  EntryId a1 = ledger.append(entry("agreement", "Сдать макет \"Главной\" до пятницы\\четверга",
                                   {{"window_days", 3}, {"to", "Заказчик <a@b.ru>"}}));
  Entry due = entry("agreement", "Тексты: «ёлки» — ünïcödé 😀", {{"confirm", nullptr}});
  due.due = "2026-12-01";
  EntryId a2 = ledger.append(due);
  Entry done = entry("done", "готово", {{"nested", {{"list", {1, -2, "три", nullptr, true}},
                                                    {"empty", Json::object()},
                                                    {"arr", Json::array()}}}});
  done.ref = a1;
  ledger.append(done);
  ledger.append(entry("change", "+3 дня", {{"days", 3}, {"big", 18446744073709551615ULL},
                                           {"neg", -9223372036854775807LL}}));
  add(ledger, entry("risk", "риск", {{"ctrl", std::string("a\x01\x1f\x7f\b\f\n\r\t\"\\/z")},
                                    {"nul", std::string("x\0y", 3)}}));
  add(ledger, entry("risk", "риск", {{"ctrl", std::string("a\x7f\n\t\"\\/z")}}));
  ledger.append(entry("nps", "", {{"date", "2026-11-01"}, {"score", 9}, {"client", "ООО «Ромашка»"},
                                  {"contact", "Мария"}, {"manager", "Иван"},
                                  {"fingerprint", "00ff00ff00ff00ff"}}));
  ledger.append(entry("note", "float data", {{"ratio", 0.1}, {"exp", 1e300}, {"whole", 2.0}}));
  Entry superseding = entry("agreement", "новая редакция", {{"supersedes", a2}});
  superseding.ref = a2;
  ledger.append(superseding);
  std::mt19937 random(3);
  for (int i = 0; i < 200; ++i) {
    Json data = {{"t", tricky(random, 20)}, {"n", i - 100}, {tricky(random, 3), i}};
    add(ledger, entry(i % 2 == 0 ? "note" : "decision", tricky(random, 30), data));
  }
  // Rows an older or edited ledger may hold: data that is not canonical, not JSON, not UTF-8.
  const std::vector<std::string> raw_data = {
      R"({"a": 1})", R"({"a":1,"a":2})", "[1,2.5]", "1e3", "-0", "01", R"("x")", "not json",
      "", "\xff{}", "{\"s\":\"\xd0\"}", R"({"s":"\u00e9"})", R"({"s":"\/"})",
      R"({"s":"\u001f"})", R"({"s":"\u001F"})", R"({"s":"\u0009"})",
      "18446744073709551615", "99999999999999999999", "-9223372036854775808",
      "{\"s\":\"\x7f\"}", R"({"b":2,"a":1})", std::string(300, '[') + std::string(300, ']'),
      "{\"k\":\"a\tb\"}", "{\"t\":\"\xed\xa0\x80\"}"};
  for (const auto& data : raw_data) {
    insert_raw(ledger, "note", "raw", data);
  }
  insert_raw(ledger, "note", "текст не UTF-8: \xd0 \xff", "{}");
  insert_raw(ledger, "note", std::string("ctrl \x01\x7f\t\n and \0 nul", 20), "{}");
  ledger.db().exec("PRAGMA foreign_keys = OFF");  // a ref that is not an id, as text
  ledger.db().exec("INSERT INTO entries (kind, recorded_at, effective_at, author, source, text, "
                   "ref, due, data, hash) VALUES ('note', 1.5, 'x', X'41FF42', 'cli', "
                   "X'D09F', 'abc', 20261201, 7, NULL)");
  for (int i = 0; i < 300; ++i) {
    insert_raw(ledger, "note", tricky(random, 10), tricky(random, static_cast<std::size_t>(i % 8)));
    std::string wrapped = "{\"k\":\"" + tricky(random, 6) + "\"}";
    insert_raw(ledger, "note", "wrapped", wrapped);
  }
  const std::string expected = reference_export(ledger);
  const std::string got = new_export(ledger);
  CHECK(got.size() == expected.size());
  // Line by line first, so a difference names its line.
  std::istringstream a(got);
  std::istringstream b(expected);
  std::string line_a;
  std::string line_b;
  while (std::getline(b, line_b)) {
    REQUIRE(std::getline(a, line_a));
    REQUIRE(line_a == line_b);
  }
  CHECK(got == expected);
}

TEST_CASE("an export of a ledger pm wrote imports back and exports the same", "[transfer]") {
  Ledger ledger(":memory:", Ledger::Mode::create);
  EntryId a1 = ledger.append(entry("agreement", "Макет \"Главной\"", {{"n", 1}}));
  Entry done = entry("done", "готово\\", {{"s", std::string("a\tz\n")}});
  done.ref = a1;
  ledger.append(done);
  ledger.append(entry("change", "+3", {{"days", 3}}));
  const std::string first = new_export(ledger);
  CHECK(first == reference_export(ledger));
  Ledger copy(":memory:", Ledger::Mode::create);
  std::istringstream in(first);
  CHECK(import_ledger(copy, in, "export.jsonl") == 3);
  CHECK(new_export(copy) == first);
  CHECK(verify_chain(copy.db()).ok);
}
