// Listings on stdout: tables (measured in one pass, cells kept until printed) and JSON lists
// written item by item; both spill to an unlinked temporary file past 1 MiB.
#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sys/ioctl.h>
#include <unistd.h>

#include <fmt/format.h>

#include "cli/cli.hpp"
#include "pm/util/check.hpp"
#include "pm/util/columns.hpp"
#include "pm/util/error.hpp"
#include "pm/util/text.hpp"

namespace pm::cli {

namespace {

std::size_t width(const std::string& text) { return pm::display_width(text); }

}  // namespace

std::size_t display_width(const std::string& text) { return width(text); }

std::size_t terminal_columns() {
  if (!stdout_is_terminal()) {
    return 0;  // a file or a pipe takes lines of any length
  }
  if (const char* columns = std::getenv("COLUMNS"); columns != nullptr && *columns != '\0') {
    char* end = nullptr;
    long n = std::strtol(columns, &end, 10);
    if (*end == '\0' && n > 0 && n < 100000) {
      return static_cast<std::size_t>(n);
    }
  }
  winsize size{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    return size.ws_col;
  }
  return 0;
}
std::string cell_text(const std::string& cell) { return printable_line(cell, true); }

namespace {

/// A cell as printed: its text made printable (cell_text) and the columns that takes, found
/// once whether the table is measured, kept or printed.
struct Cell {
  std::string text;
  std::size_t width = 0;
};

void set_cell(Cell& cell, const std::string& raw) {
  cell.text = cell_text(raw);
  cell.width = width(cell.text);
}

/// `row` as printed, in `cells` (reused from row to row: no allocation once they are long
/// enough).
void set_cells(std::vector<Cell>& cells, const std::vector<std::string>& row) {
  cells.resize(row.size());
  for (std::size_t i = 0; i < row.size(); ++i) {
    set_cell(cells[i], row[i]);
  }
}

/// A row's line, into `out`: each cell but the last padded to its column's width and two
/// spaces. A cell wider than its column (narrowed to the terminal) is cut with "…".
void table_line(std::string& out, const std::vector<Cell>& cells,
                const std::vector<std::size_t>& widths) {
  out.clear();
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const Cell& cell = cells[i];
    std::size_t w = cell.width;
    std::size_t column = i < widths.size() ? widths[i] : w;
    if (w > column) {
      std::string cut = cut_to_width(cell.text, column);
      w = width(cut);  // a wide character may leave one column of the cut unused
      out += cut;
    } else {
      out += cell.text;
    }
    if (i + 1 < cells.size()) {
      out.append(column - std::min(w, column) + 2, ' ');
    }
  }
  out += '\n';
}

/// The columns as wide as their widest cell, narrowed to fit the terminal.
std::vector<std::size_t> fitted(const std::vector<std::size_t>& widths) {
  return fit_widths(widths, 2, terminal_columns());
}

std::vector<std::size_t> header_widths(const std::vector<std::string>& header) {
  std::vector<std::size_t> widths(header.size(), 0);
  for (std::size_t i = 0; i < header.size(); ++i) {
    widths[i] = width(header[i]);
  }
  return widths;
}

void widen(std::vector<std::size_t>& widths, const std::vector<Cell>& row) {
  for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
    widths[i] = std::max(widths[i], row[i].width);
  }
}

/// The header's line, bold on a terminal.
void print_header(const std::vector<std::string>& header, const std::vector<std::size_t>& widths) {
  std::vector<Cell> cells;
  set_cells(cells, header);
  std::string line;
  table_line(line, cells, widths);
  line.pop_back();
  std::fputs((bold(line) + "\n").c_str(), stdout);
}

/// `text` with `indent` spaces after each line break: a nested value of Json::dump(2).
std::string indented(const std::string& text, const char* indent) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    out += c;
    if (c == '\n') {
      out += indent;
    }
  }
  return out;
}

/// The most of a JSON listing held in memory before the rest goes to a temporary file.
constexpr std::size_t k_json_buffer = 1024 * 1024;

void put(std::FILE* stream, const std::string& text) {
  if (std::fwrite(text.data(), 1, text.size(), stream) != text.size()) {
    throw Error(fmt::format("cannot write to {}: {}",
                            stream == stdout ? "standard output" : "a temporary file",
                            std::strerror(errno)));
  }
}

}  // namespace

void print_table(const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths = header_widths(header);
  std::vector<std::vector<Cell>> cells(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    set_cells(cells[i], rows[i]);
    widen(widths, cells[i]);
  }
  widths = fitted(widths);
  print_header(header, widths);
  std::string line;
  for (const auto& row : cells) {
    table_line(line, row, widths);
    std::fwrite(line.data(), 1, line.size(), stdout);
  }
}

namespace {

/// The cells of a table's rows as printed (text and width), kept between measuring and
/// printing: in memory up to k_json_buffer, the rest in an unlinked temporary file (a million
/// rows stay a few MiB).
class CellStore {
 public:
  ~CellStore() {
    if (m_file != nullptr) {
      std::fclose(m_file);
    }
  }
  void add(const std::vector<Cell>& row) {
    auto& buffer = m_file != nullptr ? m_pending : m_memory;
    append_size(buffer, row.size());
    for (const auto& cell : row) {
      append_size(buffer, cell.width);
      append_size(buffer, cell.text.size());
      buffer += cell.text;
    }
    if (m_file == nullptr && m_memory.size() > k_json_buffer) {
      m_file = std::tmpfile();
      if (m_file == nullptr) {
        throw Error(fmt::format("cannot create a temporary file for a long table: {}",
                                std::strerror(errno)));
      }
    }
    if (m_file != nullptr && m_pending.size() > (64u << 10)) {
      put(m_file, m_pending);
      m_pending.clear();
    }
  }
  /// Calls `visit` with every row added, in order.
  void replay(const std::function<void(const std::vector<Cell>&)>& visit) {
    std::vector<Cell> row;
    read_rows(m_memory, row, visit);
    if (m_file == nullptr) {
      return;
    }
    put(m_file, m_pending);
    m_pending.clear();
    std::rewind(m_file);
    // Records are read back in chunks; a record cut by a chunk's end waits for the next.
    std::string chunk;
    char buffer[64 << 10];
    std::size_t got = 0;
    while ((got = std::fread(buffer, 1, sizeof buffer, m_file)) > 0) {
      chunk.append(buffer, got);
      const std::size_t used = read_rows(chunk, row, visit);
      chunk.erase(0, used);
    }
    if (std::ferror(m_file) || !chunk.empty()) {
      throw Error("cannot read back a long table from its temporary file");
    }
  }

 private:
  static void append_size(std::string& out, std::size_t n) {
    const auto v = static_cast<std::uint32_t>(n);
    out.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  /// Reads whole records from `data`; returns how many bytes they took.
  static std::size_t read_rows(const std::string& data, std::vector<Cell>& row,
                               const std::function<void(const std::vector<Cell>&)>& visit) {
    std::size_t at = 0;
    auto size_at = [&](std::size_t where, std::uint32_t& v) {
      if (where + sizeof v > data.size()) {
        return false;
      }
      std::memcpy(&v, data.data() + where, sizeof v);
      return true;
    };
    for (;;) {
      std::size_t p = at;
      std::uint32_t cells = 0;
      if (!size_at(p, cells)) {
        return at;
      }
      p += sizeof cells;
      row.resize(cells);
      bool whole = true;
      for (std::uint32_t i = 0; i < cells && whole; ++i) {
        std::uint32_t columns = 0;
        std::uint32_t size = 0;
        whole = size_at(p, columns) && size_at(p + sizeof columns, size) &&
                p + sizeof columns + sizeof size + size <= data.size();
        if (whole) {
          row[i].width = columns;
          row[i].text.assign(data, p + sizeof columns + sizeof size, size);
          p += sizeof columns + sizeof size + size;
        }
      }
      if (!whole) {
        return at;
      }
      visit(row);
      at = p;
    }
  }

  std::string m_memory;
  std::string m_pending;
  std::FILE* m_file = nullptr;
};

}  // namespace

std::size_t print_table_streamed(const std::vector<std::string>& header, const TableRows& rows) {
  std::vector<std::size_t> widths = header_widths(header);
  std::size_t count = 0;
  // One pass over the rows: measured and kept, then printed from what was kept.
  CellStore store;
  std::vector<Cell> cells;
  rows([&](const std::vector<std::string>& row) {
    set_cells(cells, row);
    widen(widths, cells);
    store.add(cells);
    ++count;
  });
  if (count == 0) {
    return 0;
  }
  widths = fitted(widths);
  print_header(header, widths);
  std::string line;
  store.replay([&](const std::vector<Cell>& row) {
    table_line(line, row, widths);
    std::fwrite(line.data(), 1, line.size(), stdout);
  });
  return count;
}

JsonListWriter::JsonListWriter(const Json& head, const std::string& key) {
  std::string out = "{\n";
  for (const auto& [name, value] : head.items()) {
    out += fmt::format("  {}: {},\n", dump_json(Json(name)), indented(dump_json(value, 2), "  "));
  }
  out += fmt::format("  {}: [", dump_json(Json(key)));
  put(out);
}

JsonListWriter::~JsonListWriter() {
  if (m_spill != nullptr) {
    std::fclose(m_spill);
  }
}

void JsonListWriter::put(const std::string& text) {
  m_buffer += text;
  if (m_buffer.size() < k_json_buffer) {
    return;
  }
  if (m_spill == nullptr) {
    m_spill = std::tmpfile();
    if (m_spill == nullptr) {
      throw Error(fmt::format("cannot create a temporary file for a long listing: {}; set TMPDIR "
                              "to a writable directory",
                              std::strerror(errno)));
    }
  }
  cli::put(m_spill, m_buffer);
  m_buffer.clear();
}

void JsonListWriter::add(const Json& item) {
  put((m_empty ? "\n    " : ",\n    ") + indented(dump_json(item, 2), "    "));
  m_empty = false;
}

void JsonListWriter::finish() {
  m_buffer += m_empty ? "]\n}\n" : "\n  ]\n}\n";
  // Complete: only now does any of it reach stdout.
  if (m_spill != nullptr) {
    if (std::fflush(m_spill) != 0 || std::fseek(m_spill, 0, SEEK_SET) != 0) {
      throw Error(fmt::format("cannot read back a temporary file: {}", std::strerror(errno)));
    }
    char chunk[65536];
    std::size_t n = 0;
    while ((n = std::fread(chunk, 1, sizeof chunk, m_spill)) > 0) {
      cli::put(stdout, std::string(chunk, n));
    }
    if (std::ferror(m_spill) != 0) {
      throw Error(fmt::format("cannot read back a temporary file: {}", std::strerror(errno)));
    }
  }
  cli::put(stdout, m_buffer);
  m_buffer.clear();
  if (std::fflush(stdout) != 0 || std::ferror(stdout) != 0) {
    throw Error(fmt::format("cannot write to standard output: {}", std::strerror(errno)));
  }
}

}  // namespace pm::cli
