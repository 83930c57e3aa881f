#pragma once
// The door: every text that enters pm is checked here (valid UTF-8, no controls where they do
// not belong, a bounded size), and whatever leaves pm for a terminal or a letter is made safe
// here. Limits are documented in docs/reliability.md ("Limits").
#include <cstddef>
#include <filesystem>
#include <istream>
#include <string>
#include <string_view>

#include "pm/util/error.hpp"

namespace pm {

/// A single-line field: a name, the author, `--with`, a tag, a currency, a subject.
inline constexpr std::size_t k_line_limit = 4 * 1024;
/// A multi-line text: what was agreed, a note, a comment, a reason.
inline constexpr std::size_t k_text_limit = 64 * 1024;
/// A file pm reads: project.yaml, a template, `--data`, a CSV of NPS answers, a spool file.
inline constexpr std::size_t k_file_limit = 8 * 1024 * 1024;
/// One line of a file read line by line (an export for `pm import`, a commit message).
inline constexpr std::size_t k_record_limit = 1024 * 1024;

/// The offset of the first byte that is not part of well-formed UTF-8 (overlong forms,
/// surrogates and code points past U+10FFFF are not), or npos when all of `text` is.
std::size_t invalid_utf8_at(std::string_view text);
inline bool valid_utf8(std::string_view text) {
  return invalid_utf8_at(text) == std::string_view::npos;
}

/// Throws pm::Error(`code`) naming `field` unless `text` is valid UTF-8, at most `limit`
/// bytes, and free of C0 and C1 controls and DEL (line breaks included).
void check_line(std::string_view field, std::string_view text, Exit code = Exit::error,
                std::size_t limit = k_line_limit);
/// As check_line, but LF and TAB are allowed (CR is not: pm's line ends are LF).
void check_text(std::string_view field, std::string_view text, Exit code = Exit::error,
                std::size_t limit = k_text_limit);
/// The problem check_line (`multi_line` false) or check_text (true) would report, without the
/// field's name, or "" when there is none: for callers that name the field their own way
/// (CLI11 validators, file:line).
std::string text_problem(std::string_view text, bool multi_line, std::size_t limit);

/// A file's content, at most `limit` bytes: stops reading (and throws pm::Error naming `what`
/// and the limit) at the first byte beyond it, so /dev/zero or a FIFO that never ends costs
/// `limit` bytes of memory, not all of it. `what` names the file in messages ("--data FILE").
std::string read_file_limited(const std::filesystem::path& file, std::size_t limit,
                              std::string_view what);
/// The same for a stream (stdin).
std::string read_stream_limited(std::istream& in, std::size_t limit, std::string_view what);
/// std::getline that stops at `limit` bytes: throws pm::Error "WHAT: a line longer than ..."
/// instead of reading on. Returns false at the end of the input.
bool read_line_limited(std::istream& in, std::string& line, std::size_t limit,
                       std::string_view what);
/// Throws pm::Error "NAME:LINE: ..." at the first line of `content` that is not valid UTF-8
/// or holds a control other than TAB (and CR before LF, which editors write).
void check_file_text(std::string_view name, std::string_view content);
/// What check_file_text would report, without the name: "" when `content` is fine, otherwise
/// the problem, and `line` set to the line it is on.
std::string file_text_problem(std::string_view content, std::size_t& line);

/// `text` with every byte that is not well-formed UTF-8 replaced by U+FFFD.
std::string utf8_replaced(std::string_view text);
/// For a terminal or a letter body: invalid UTF-8 as U+FFFD, C0 and C1 controls and DEL as
/// visible escapes (`\x1b`, `\r`, `\u0085`), except LF and TAB, which stay. With
/// `keep_style`, pm's own colour sequences (bold, dim, red, reset) stay too.
std::string printable_text(std::string_view text, bool keep_style = false);
/// Appends `text` as a JSON string (escaped as append_json_string does) that is also safe for a
/// terminal, in one pass: C1 controls and DEL as \u00xx, invalid UTF-8 as U+FFFD. So a JSON
/// document whose strings are all written this way is printable as it is: it equals
/// printable_text of dump_json's, and stays valid JSON.
void append_printable_json_string(std::string& out, std::string_view text);
/// For one table cell or header value: as printable_text, but LF shows as "⏎" and TAB as a
/// space, so a cell stays on its line.
std::string printable_line(std::string_view text, bool keep_style = false);

}  // namespace pm
