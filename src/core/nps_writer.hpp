#pragma once
// Writing NPS answers: the entry and its nps_answers row, inside the caller's transaction.
// Private to the core: add_nps_answer and import_nps_csv share it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <SQLiteCpp/SQLiteCpp.h>

#include "pm/nps.hpp"

namespace pm::detail {

/// The score `text` holds (a whole number 0-10, spaces around allowed), or -1.
int score_value(std::string_view text);
/// True when `text` is well-formed UTF-8 (no overlong forms, no surrogates).
bool is_utf8(std::string_view text);
/// `text` without spaces, tabs and line breaks around it.
std::string_view trim(std::string_view text);
/// Why `text` cannot be a name (client, contact, manager), or empty when it can.
std::string name_problem(std::string_view text);

class AnswerWriter {
 public:
  /// Prepares its statements once; `context` must outlive the writer.
  AnswerWriter(Ledger& ledger, const NpsWriteContext& context);
  /// True when an answer with this fingerprint is already recorded.
  bool recorded(std::int64_t fingerprint);
  /// Appends the entry and the row; the caller holds an IMMEDIATE transaction.
  EntryId write(const NpsAnswer& answer, std::optional<std::int64_t> fingerprint);

 private:
  struct Day {
    Instant start;     ///< the first instant of the day in the project's zone
    std::string text;  ///< YYYY-MM-DD
  };
  const Day& day_of(Date date);

  Ledger& m_ledger;
  const NpsWriteContext& m_context;
  SQLite::Statement m_insert;
  SQLite::Statement m_lookup;
  std::unordered_map<int, Day> m_days;  // a few thousand days at most
};

}  // namespace pm::detail
