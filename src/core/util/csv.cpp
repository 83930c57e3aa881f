#include "pm/util/csv.hpp"

#include <fmt/format.h>

#include "pm/util/check.hpp"
#include "pm/util/error.hpp"

namespace pm {

CsvReader::CsvReader(std::istream& in, std::string name) : m_in(in), m_name(std::move(name)) {}

bool CsvReader::refill() {
  if (!m_in) {
    return false;
  }
  m_in.read(m_buffer.data(), static_cast<std::streamsize>(m_buffer.size()));
  m_pos = 0;
  m_end = static_cast<std::size_t>(m_in.gcount());
  if (m_in.bad()) {
    fail(m_line, "cannot be read any further (an I/O error)");
  }
  return m_end > 0;
}

std::string CsvReader::column(std::size_t index) const {
  if (index < m_columns.size() && !m_columns[index].empty()) {
    return "column " + m_columns[index];
  }
  return fmt::format("field {}", index + 1);
}

void CsvReader::fail(std::int64_t line, const std::string& message) const {
  throw Error(fmt::format("{}:{}: {}", m_name, line, message));
}

void CsvReader::take_run(std::string& field, bool quoted) {
  // The bytes up to the next one that means something, as far as the buffer goes: most of a
  // field, copied at once rather than byte by byte.
  const char* begin = m_buffer.data() + m_pos;
  const char* end = m_buffer.data() + m_end;
  const char* p = begin;
  if (quoted) {
    while (p != end && *p != '"' && *p != '\r' && *p != '\n') {
      ++p;
    }
  } else {
    while (p != end && *p != m_delimiter && *p != '\r' && *p != '\n') {
      ++p;
    }
  }
  field.append(begin, p);
  m_pos += static_cast<std::size_t>(p - begin);
  if (field.size() > k_record_limit) {
    // Endless input (/dev/zero, a FIFO) stops here instead of filling the memory.
    fail(m_record_line, fmt::format("{}: longer than {} KiB, the limit for a field; is this a "
                                    "CSV file?",
                                    column(m_count), k_record_limit / 1024));
  }
}

void CsvReader::end_line(int c) {
  if (c == '\r' && peek() == '\n') {
    ++m_pos;
  }
  ++m_line;
}

void CsvReader::skip_bom() {
  if (!m_started) {
    m_started = true;
    // A byte order mark is how some spreadsheets say "UTF-8"; it is not part of the header.
    static const char k_bom[] = "\xEF\xBB\xBF";
    if (peek() == 0xEF && m_end - m_pos >= 3 && m_buffer[m_pos + 1] == k_bom[1] &&
        m_buffer[m_pos + 2] == k_bom[2]) {
      m_pos += 3;
    }
  }
}

char CsvReader::detect_delimiter() {
  skip_bom();
  peek();  // the first buffer: a header line longer than 64 KiB is read as ','
  std::size_t counts[3] = {0, 0, 0};
  static const char k_candidates[3] = {',', ';', '\t'};
  bool quoted = false;
  for (std::size_t i = m_pos; i < m_end; ++i) {
    char c = m_buffer[i];
    if (c == '"') {
      quoted = !quoted;
    } else if (!quoted && (c == '\n' || c == '\r')) {
      break;
    } else if (!quoted) {
      for (int k = 0; k < 3; ++k) {
        counts[k] += c == k_candidates[k] ? 1 : 0;
      }
    }
  }
  int best = 0;
  for (int k = 1; k < 3; ++k) {
    if (counts[k] > counts[best]) {
      best = k;
    }
  }
  m_delimiter = k_candidates[best];
  return m_delimiter;
}

bool CsvReader::next(std::vector<std::string>& fields) {
  skip_bom();
  int c = get();
  while (c == '\n' || c == '\r') {  // blank lines hold no record
    end_line(c);
    c = get();
  }
  if (c < 0) {
    return false;
  }
  m_record_line = m_line;
  std::size_t count = 0;
  while (true) {
    if (count == fields.size()) {
      fields.emplace_back();
    }
    if (count > k_max_fields) {
      fail(m_record_line, fmt::format("more than {} fields in one record; is this a CSV file?",
                                      k_max_fields));
    }
    m_count = count;
    std::string& field = fields[count];
    field.clear();
    if (c == '"') {
      std::int64_t opened = m_line;
      while (true) {
        take_run(field, true);
        c = get();
        if (c < 0) {
          fail(opened, fmt::format("{}: a quoted field is not closed by the end of the file; "
                                   "close it with a double quote",
                                   column(count)));
        }
        if (c == '"') {
          if (peek() != '"') {
            break;
          }
          ++m_pos;
        } else if (c == '\r' || c == '\n') {
          end_line(c);
          c = '\n';
        }
        field.push_back(static_cast<char>(c));
      }
      c = get();
      if (c != m_delimiter && c != '\n' && c != '\r' && c >= 0) {
        fail(m_line, fmt::format("{}: '{}' after a closing quote; a quote inside a quoted field "
                                 "is written twice (\"\")",
                                 column(count), static_cast<char>(c)));
      }
    } else {
      while (c != m_delimiter && c != '\n' && c != '\r' && c >= 0) {
        field.push_back(static_cast<char>(c));
        take_run(field, false);
        c = get();
      }
    }
    if (std::string problem = text_problem(field, true, k_record_limit); !problem.empty()) {
      fail(m_record_line, fmt::format("{}: {}", column(count), problem));
    }
    ++count;
    if (c == m_delimiter) {
      c = get();
      continue;
    }
    if (c >= 0) {
      end_line(c);
    }
    break;
  }
  fields.resize(count);
  return true;
}

}  // namespace pm
