#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <unistd.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "cli/cli.hpp"
#include "pm/git/commits.hpp"
#include "pm/util/error.hpp"

namespace pm::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> k_commands = {
      {"init", "create a project here (or in DIR): .pm/ with project.yaml and the ledger",
       setup_init},
      {"log-agreement", "record what was agreed with the client; prints its number",
       setup_log_agreement},
      {"agreements", "list agreements (open ones unless --all)", setup_agreements},
      {"people", "list the people on both sides, or add one", setup_people},
      {"templates", "list, show or check letter templates", setup_templates},
      {"render", "render a letter template as text, Markdown or a ready-to-send email",
       setup_render},
      {"change", "change requests: propose, approve or reject per side, list, show",
       setup_change},
      {"done", "note what was done, for the report", setup_done},
      {"next", "note what is planned next, for the report", setup_next},
      {"risk", "the risk register: add, close, list", setup_risk},
      {"report", "the weekly status report as text, Markdown, JSON or an email", setup_report},
      {"log", "list the ledger's entries of every kind", setup_log},
      {"show", "show one entry: E17, A3 (agreement 3), C2, R1, D4", setup_show},
      {"hook", "install git hooks that log decisions from commit messages", setup_hook},
      {"verify", "check the ledger's integrity and hash chain", setup_verify},
      {"export", "write the whole ledger as JSON lines or CSV", setup_export},
      {"import", "read an export into an empty project", setup_import},
      {"generate", "print shell completion or the man page", setup_generate},
      {"nps", "NPS: record or import clients' answers, measure them with their margin of error, "
              "across projects too; invite clients to answer",
       setup_nps},
  };
  return k_commands;
}

std::string start_directory(const Globals& globals) {
  return globals.directory.empty() ? std::filesystem::current_path().string() : globals.directory;
}

Session open_session(const Globals& globals) {
  Session s;
  if (!globals.directory.empty() && !std::filesystem::is_directory(globals.directory)) {
    throw Error(fmt::format("-C {}: no such directory", globals.directory));
  }
  s.paths = find_project(start_directory(globals));
  s.config = load_config(s.paths.config());
  s.zone = find_zone(s.config.timezone);
  s.now = now();
  return s;
}

std::unique_ptr<Ledger> Session::open_ledger(bool read_only) const {
  std::error_code ec;
  if (!std::filesystem::is_empty(paths.dir() / "spool", ec) && !ec) {
    // Decisions a git hook could not write at the time (the ledger was busy) go in first;
    // if the ledger is still busy they wait for the next run, and this command goes on.
    try {
      Ledger writer(paths.ledger().string(), Ledger::Mode::read_write);
      drain_spool(writer, paths.dir(), now);
    } catch (const Error&) {
      if (!read_only) {
        throw;
      }
    }
  }
  return std::make_unique<Ledger>(
      paths.ledger().string(), read_only ? Ledger::Mode::read_only : Ledger::Mode::read_write);
}

bool stdout_is_terminal() { return ::isatty(STDOUT_FILENO) == 1; }

bool use_color() {
  const char* no_color = std::getenv("NO_COLOR");
  return stdout_is_terminal() && (no_color == nullptr || *no_color == '\0');
}

std::string bold(const std::string& text) {
  return use_color() ? "\033[1m" + text + "\033[0m" : text;
}

std::string dim(const std::string& text) {
  return use_color() ? "\033[2m" + text + "\033[0m" : text;
}

namespace {

/// Display width: one column per code point (continuation bytes do not count).
std::size_t width(const std::string& text) {
  std::size_t n = 0;
  bool escape = false;
  for (unsigned char c : text) {
    // Colour sequences ("\033[2m") take no room on the screen.
    if (c == 0x1B) {
      escape = true;
    } else if (escape) {
      escape = c != 'm';
    } else if ((c & 0xC0) != 0x80) {
      ++n;
    }
  }
  return n;
}

}  // namespace

std::size_t display_width(const std::string& text) { return width(text); }

namespace {

/// A row's line: each cell but the last padded to its column's width and two spaces.
std::string table_line(const std::vector<std::string>& cells,
                       const std::vector<std::size_t>& widths) {
  std::string out;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    out += cells[i];
    if (i + 1 < cells.size()) {
      out += std::string(widths[i] - width(cells[i]) + 2, ' ');
    }
  }
  return out;
}

std::vector<std::size_t> header_widths(const std::vector<std::string>& header) {
  std::vector<std::size_t> widths(header.size(), 0);
  for (std::size_t i = 0; i < header.size(); ++i) {
    widths[i] = width(header[i]);
  }
  return widths;
}

void widen(std::vector<std::size_t>& widths, const std::vector<std::string>& row) {
  for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
    widths[i] = std::max(widths[i], width(row[i]));
  }
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

void put(const std::string& text) {
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size()) {
    throw Error(fmt::format("cannot write to standard output: {}", std::strerror(errno)));
  }
}

}  // namespace

void print_table(const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths = header_widths(header);
  for (const auto& row : rows) {
    widen(widths, row);
  }
  std::fputs((bold(table_line(header, widths)) + "\n").c_str(), stdout);
  for (const auto& row : rows) {
    std::fputs((table_line(row, widths) + "\n").c_str(), stdout);
  }
}

std::size_t print_table_streamed(const std::vector<std::string>& header, const TableRows& rows) {
  std::vector<std::size_t> widths = header_widths(header);
  std::size_t count = 0;
  rows([&](const std::vector<std::string>& row) {
    widen(widths, row);
    ++count;
  });
  if (count == 0) {
    return 0;
  }
  std::fputs((bold(table_line(header, widths)) + "\n").c_str(), stdout);
  rows([&](const std::vector<std::string>& row) {
    std::fputs((table_line(row, widths) + "\n").c_str(), stdout);
  });
  return count;
}

ReadSnapshot::ReadSnapshot(Ledger& ledger) : m_ledger(ledger) {
  try {
    m_ledger.db().exec("BEGIN");
  } catch (const std::exception& e) {
    rethrow_sqlite(e, m_ledger.path(), "read");
  }
}

ReadSnapshot::~ReadSnapshot() {
  try {
    m_ledger.db().exec("COMMIT");  // nothing was written: this only ends the read
  } catch (const std::exception&) {
    // A destructor does not throw; the connection closes right after anyway.
  }
}

JsonListWriter::JsonListWriter(const Json& head, const std::string& key) {
  std::string out = "{\n";
  for (const auto& [name, value] : head.items()) {
    out += fmt::format("  {}: {},\n", Json(name).dump(), indented(value.dump(2), "  "));
  }
  out += fmt::format("  {}: [", Json(key).dump());
  put(out);
}

void JsonListWriter::add(const Json& item) {
  put((m_empty ? "\n    " : ",\n    ") + indented(item.dump(2), "    "));
  m_empty = false;
}

void JsonListWriter::finish() {
  put(m_empty ? "]\n}\n" : "\n  ]\n}\n");
  if (std::fflush(stdout) != 0 || std::ferror(stdout) != 0) {
    throw Error(fmt::format("cannot write to standard output: {}", std::strerror(errno)));
  }
}

void emit(const std::string& content, const std::string& file) {
  if (file.empty() || file == "-") {
    // A cron job relies on the exit code: a report that did not reach stdout is a failure.
    if (std::fwrite(content.data(), 1, content.size(), stdout) != content.size() ||
        std::fflush(stdout) != 0) {
      throw Error(fmt::format("cannot write to standard output: {}", std::strerror(errno)));
    }
    return;
  }
  write_file_atomic(file, content);
}

void note(const Globals& globals, const std::string& text) {
  if (!globals.quiet) {
    std::fprintf(stderr, "%s\n", text.c_str());
  }
}

}  // namespace pm::cli
