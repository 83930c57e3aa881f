#pragma once
// RFC 4180 CSV, read as a stream: one record at a time, never the whole file.
#include <array>
#include <cstdint>
#include <istream>
#include <string>
#include <vector>

namespace pm {

/// Reads comma-separated records: fields in double quotes may hold commas, line breaks and
/// doubled quotes (""); records end with CRLF, LF or CR; a UTF-8 byte order mark at the start is
/// dropped; blank lines are skipped. Line breaks inside quoted fields come out as "\n".
class CsvReader {
 public:
  /// Reads from `in`; `name` (the file's name as the user gave it) starts every error message.
  CsvReader(std::istream& in, std::string name);

  /// Reads the delimiter from the first line (after a byte order mark): whichever of ',', ';'
  /// and tab occurs most outside quotes there (a tie or none: ','), and reads by it from then
  /// on. Spreadsheets write ';' where the decimal mark is a comma (Excel in a Russian locale).
  /// Call before the first next(); without it the delimiter is ','.
  char detect_delimiter();
  /// The delimiter records are read by.
  char delimiter() const { return m_delimiter; }

  /// Reads the next record into `fields`, reusing their storage. Returns false at the end of
  /// the input. Throws pm::Error "NAME:LINE: ..." when a quoted field is not closed or a
  /// closing quote is followed by something other than a comma or a line break, when a field
  /// is not UTF-8 or holds a control but LF and TAB, or is longer than k_record_limit
  /// (pm/util/check.hpp), or a record has more than k_max_fields fields.
  bool next(std::vector<std::string>& fields);

  /// The line the last record started on (1-based), for messages about its values.
  std::int64_t line() const { return m_record_line; }
  /// The input's name, as given.
  const std::string& name() const { return m_name; }
  /// Names fields in error messages ("column comment" rather than "field 6").
  void set_column_names(std::vector<std::string> names) { m_columns = std::move(names); }
  /// "column comment", or "field 6" when the field has no name.
  std::string column(std::size_t index) const;

 private:
  int get() {
    if (m_pos == m_end && !refill()) {
      return -1;
    }
    return static_cast<unsigned char>(m_buffer[m_pos++]);
  }
  int peek() {
    if (m_pos == m_end && !refill()) {
      return -1;
    }
    return static_cast<unsigned char>(m_buffer[m_pos]);
  }
  bool refill();
  /// Drops a UTF-8 byte order mark at the start, once.
  void skip_bom();
  /// Appends to `field` the buffered bytes before the next quote (in a quoted field) or comma
  /// (outside one: the delimiter) or line break.
  void take_run(std::string& field, bool quoted);
  /// Consumes the LF of a CRLF after `c` ('\r'), and counts the line.
  void end_line(int c);
  [[noreturn]] void fail(std::int64_t line, const std::string& message) const;

  std::istream& m_in;
  std::string m_name;
  std::vector<std::string> m_columns;
  std::array<char, 1 << 16> m_buffer{};
  std::size_t m_pos = 0;
  std::size_t m_end = 0;
  std::int64_t m_line = 1;
  std::int64_t m_record_line = 0;
  bool m_started = false;
  char m_delimiter = ',';
  std::size_t m_count = 0;  ///< the field being read, for messages
  /// No record of pm's has more; endless input stops here.
  static constexpr std::size_t k_max_fields = 4096;
};

}  // namespace pm
