// The RFC 4180 reader: quoting, line ends, the byte order mark, and where errors are.
#include <catch2/catch.hpp>
#include <sstream>

#include "pm/util/csv.hpp"
#include "pm/util/error.hpp"

using namespace pm;

namespace {

std::vector<std::vector<std::string>> read_all(const std::string& text,
                                               std::vector<std::int64_t>* lines = nullptr) {
  std::istringstream in(text);
  CsvReader csv(in, "t.csv");
  std::vector<std::vector<std::string>> out;
  std::vector<std::string> fields;
  while (csv.next(fields)) {
    out.push_back(fields);
    if (lines != nullptr) {
      lines->push_back(csv.line());
    }
  }
  return out;
}

using Rows = std::vector<std::vector<std::string>>;

}  // namespace

TEST_CASE("plain records, with LF, CRLF or CR line ends", "[csv]") {
  Rows expected = {{"a", "b", "c"}, {"1", "", "3"}};
  CHECK(read_all("a,b,c\n1,,3\n") == expected);
  CHECK(read_all("a,b,c\r\n1,,3\r\n") == expected);
  CHECK(read_all("a,b,c\r1,,3") == expected);
  CHECK(read_all("a,b,c\n1,,3") == expected);  // no line end at the end
  CHECK(read_all("") == Rows{});
  CHECK(read_all("a,\n") == Rows{{"a", ""}});
}

TEST_CASE("quoted fields hold commas, doubled quotes and line breaks", "[csv]") {
  std::vector<std::int64_t> lines;
  Rows rows = read_all("id,comment\n1,\"Fast, and \"\"good\"\"\"\n2,\"two\r\nlines\"\n3,\"\"\n",
                       &lines);
  REQUIRE(rows.size() == 4);
  CHECK(rows[1][1] == "Fast, and \"good\"");
  CHECK(rows[2][1] == "two\nlines");  // CRLF inside a field comes out as LF
  CHECK(rows[3][1].empty());
  CHECK(lines == std::vector<std::int64_t>{1, 2, 3, 5});
}

TEST_CASE("a UTF-8 byte order mark is dropped, blank lines are skipped", "[csv]") {
  Rows rows = read_all("\xEF\xBB\xBF" "date,score\n\n2026-11-20,9\n\r\n");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0][0] == "date");
  CHECK(rows[1] == std::vector<std::string>{"2026-11-20", "9"});
  CHECK(read_all("x,\xEF\xBB\xBF") == Rows{{"x", "\xEF\xBB\xBF"}});  // only at the start
}

TEST_CASE("a quote inside an unquoted field is kept as it is", "[csv]") {
  CHECK(read_all("5 \"inch\",x\n") == Rows{{"5 \"inch\"", "x"}});
}

TEST_CASE("malformed quoting names the file, the line and the column", "[csv]") {
  std::istringstream in("date,comment\n2026-11-20,\"open\nstill open\n");
  CsvReader csv(in, "t.csv");
  std::vector<std::string> fields;
  REQUIRE(csv.next(fields));
  csv.set_column_names(fields);
  CHECK_THROWS_WITH(csv.next(fields), Catch::StartsWith("t.csv:2: column comment: a quoted "
                                                        "field is not closed"));

  std::istringstream after("a,b\n1,\"x\"y\n");
  CsvReader csv2(after, "u.csv");
  REQUIRE(csv2.next(fields));
  CHECK_THROWS_WITH(csv2.next(fields), Catch::StartsWith("u.csv:2: field 2: 'y' after a "
                                                         "closing quote"));
}

TEST_CASE("records longer than the read buffer are read whole", "[csv]") {
  std::string big(200000, 'x');
  Rows rows = read_all("a,b\n\"" + big + "\"," + big + "\n");
  REQUIRE(rows.size() == 2);
  CHECK(rows[1][0] == big);
  CHECK(rows[1][1] == big);
}

namespace {

/// The records of `text` read with the delimiter detected, and that delimiter.
std::pair<char, Rows> read_detected(const std::string& text) {
  std::istringstream in(text);
  CsvReader csv(in, "t.csv");
  char delimiter = csv.detect_delimiter();
  Rows out;
  std::vector<std::string> fields;
  while (csv.next(fields)) {
    out.push_back(fields);
  }
  return {delimiter, out};
}

}  // namespace

TEST_CASE("the delimiter is the one the header line uses most: comma, semicolon or tab", "[csv]") {
  Rows expected = {{"date", "score", "comment"}, {"2026-11-03", "9", "Быстро, ясно"}};
  CHECK(read_detected("date,score,comment\n2026-11-03,9,\"Быстро, ясно\"\n") ==
        std::pair<char, Rows>{',', expected});
  // Excel in a Russian locale: semicolons, a byte order mark, CRLF; a comma in a field is data.
  CHECK(read_detected("\xEF\xBB\xBF"
                      "date;score;comment\r\n2026-11-03;9;Быстро, ясно\r\n") ==
        std::pair<char, Rows>{';', expected});
  CHECK(read_detected("date\tscore\tcomment\n2026-11-03\t9\tБыстро, ясно\n") ==
        std::pair<char, Rows>{'\t', expected});
  // Delimiters inside quotes on the header line do not count.
  CHECK(read_detected("\"a;b;c\",d\n1,2\n").first == ',');
  // One column, or a tie: a comma.
  CHECK(read_detected("date\n2026-11-03\n").first == ',');
  CHECK(read_detected("a;b,c\n").first == ',');
  CHECK(read_detected("").first == ',');
  // A closing quote followed by the delimiter in use is fine; by another, an error.
  CHECK(read_detected("a;b\n\"x\";y\n").second == Rows{{"a", "b"}, {"x", "y"}});
  CHECK_THROWS_WITH(read_detected("a;b\n\"x\",y\n"), Catch::Contains("',' after a closing quote"));
}
