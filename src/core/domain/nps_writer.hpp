#pragma once
// Writing NPS answers: the entry and its nps_answers row, inside the caller's transaction.
// Private to the core: add_nps_answer and import_nps_csv share it.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

#include "pm/domain/nps.hpp"

namespace pm::detail {

/// The score `text` holds (a whole number 0-10, spaces around allowed), or -1.
int score_value(std::string_view text);
/// True when `text` is well-formed UTF-8 (no overlong forms, no surrogates).
bool is_utf8(std::string_view text);
/// `text` without spaces, tabs and line breaks around it.
std::string_view trim(std::string_view text);
/// Why `text` cannot be a name (client, contact, manager), or empty when it can.
std::string name_problem(std::string_view text);

/// An answer's entry data as JSON text, exactly as the equivalent Json object would dump.
std::string nps_data_json(const NpsAnswer& answer, const std::string& day,
                          std::optional<std::int64_t> fingerprint);

/// Writes answers in batches: per batch, one statement finds the fingerprints already
/// recorded (when the ledger held any when the writer began); then the new answers' entries
/// go through the Ledger and their rows follow.
class AnswerWriter {
 public:
  /// Answers per batch (one lookup parameter each, well under SQLite's limit of 999).
  static constexpr std::size_t k_batch = 64;

  /// `context` must outlive the writer.
  AnswerWriter(Ledger& ledger, const NpsWriteContext& context);
  /// Queues an answer; flush() writes it.
  void add(const NpsAnswer& answer, std::optional<std::int64_t> fingerprint);
  std::size_t queued() const { return m_size; }
  /// Writes the queued answers whose fingerprint is not recorded yet; the caller holds an
  /// IMMEDIATE transaction. Returns how many were written.
  std::size_t flush();
  /// The entry id of the last answer written.
  EntryId last_id() const { return m_last_id; }

 private:
  struct Day {
    Instant start;     ///< the first instant of the day in the project's zone
    std::string text;  ///< YYYY-MM-DD
  };
  struct Queued {
    NpsAnswer answer;
    std::optional<std::int64_t> fingerprint;
  };
  const Day& day_of(Date date);
  /// The lookup of `count` fingerprints: prepared on first use, then reused.
  SQLite::Statement& lookup(std::size_t count);
  /// Which of the queued fingerprints the ledger holds already: sets m_recorded.
  void find_recorded();

  Ledger& m_ledger;
  const NpsWriteContext& m_context;
  std::unordered_map<int, Day> m_days;  // a few thousand days at most
  std::vector<Queued> m_queue;
  std::size_t m_size = 0;  // m_queue[0, m_size) is queued; the rest is reused storage
  /// Whether the ledger held imported answers when the first batch was written: if it did
  /// not, no fingerprint can be recorded but this writer's own, which differ (the lookups
  /// are then skipped).
  std::optional<bool> m_ledger_had_fingerprints;
  std::map<std::size_t, std::unique_ptr<SQLite::Statement>> m_lookups;
  std::vector<std::int64_t> m_recorded;
  // The new answers of a batch: their entries (the fields every answer shares set once),
  // their data, and where in m_queue they are.
  std::vector<Entry> m_entries;
  std::vector<std::string> m_data;
  std::vector<std::pair<std::size_t, const Day*>> m_new;
  SQLite::Statement m_insert;
  EntryId m_last_id = 0;
};

}  // namespace pm::detail
