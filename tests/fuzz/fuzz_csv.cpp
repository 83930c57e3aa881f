// The CSV reader (pm/util/csv.hpp): what it reads, written out again as RFC 4180, reads back
// the same; and the same input behind a 64 KiB buffer boundary reads the same.
#include <sstream>
#include <string>
#include <vector>

#include "fuzz.hpp"
#include "pm/util/csv.hpp"
#include "pm/util/error.hpp"

namespace {

using pm::fuzz::check;
using Records = std::vector<std::vector<std::string>>;

struct Read {
  Records records;
  std::vector<std::int64_t> lines;
  bool refused = false;
};

Read read_all(const std::string& text) {
  std::istringstream in(text);
  pm::CsvReader csv(in, "fuzz.csv");
  Read out;
  std::vector<std::string> fields;
  try {
    while (csv.next(fields)) {
      check(!fields.empty(), "a record with no field");
      check(out.lines.empty() || csv.line() > out.lines.back(),
            "a record starts on a line not after the previous one");
      out.records.push_back(fields);
      out.lines.push_back(csv.line());
    }
  } catch (const pm::Error&) {
    out.refused = true;
  }
  return out;
}

/// Every field quoted, quotes doubled, records ending in CRLF.
std::string write_all(const Records& records) {
  std::string out;
  for (const auto& record : records) {
    for (std::size_t i = 0; i < record.size(); ++i) {
      out += i == 0 ? "\"" : ",\"";
      for (char c : record[i]) {
        out += c;
        if (c == '"') {
          out += '"';
        }
      }
      out += '"';
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  std::string text(pm::fuzz::text_of(data, size));
  Read first = read_all(text);
  for (const auto& record : first.records) {
    for (const auto& field : record) {
      check(field.find('\r') == std::string::npos, "a field holds a CR");
    }
  }
  if (!first.refused) {
    Read again = read_all(write_all(first.records));
    check(!again.refused, "records written out as RFC 4180 are refused");
    check(again.records == first.records, "records written out read back differently");
  }
  // The reader takes 64 KiB at a time: blank lines in front move the input across that
  // boundary, and must change nothing but the line numbers. (Not with a byte order mark,
  // which counts only at the very start.) For one input in four: 64 KiB more to read is
  // most of a run's time.
  if (text.rfind("\xEF\xBB\xBF", 0) != 0 && size > 0 && data[0] % 4 == 0) {
    std::size_t blank = (std::size_t{1} << 16) - 1 - data[0] / 4 % 8;
    Read shifted = read_all(std::string(blank, '\n') + text);
    check(shifted.refused == first.refused, "a buffer boundary changes whether input is refused");
    check(shifted.records == first.records, "a buffer boundary changes the records");
    for (std::size_t i = 0; i < shifted.lines.size() && i < first.lines.size(); ++i) {
      check(shifted.lines[i] == first.lines[i] + static_cast<std::int64_t>(blank),
            "a buffer boundary changes the line numbers");
    }
  }
  return 0;
}
