#include "pm/schema.hpp"

#include "pm/chain.hpp"

namespace pm {

const std::vector<SchemaStep>& schema_steps() {
  static const std::vector<SchemaStep> k_steps = {
      {"entries: the append-only record", R"sql(
CREATE TABLE entries (
  id           INTEGER PRIMARY KEY,
  kind         TEXT NOT NULL,
  recorded_at  TEXT NOT NULL,   -- when pm wrote it, UTC, 'YYYY-MM-DDTHH:MM:SSZ'
  effective_at TEXT NOT NULL,   -- when it happened (meeting, --on), UTC, same form
  author       TEXT NOT NULL,
  source       TEXT NOT NULL,   -- cli, hook, import
  text         TEXT NOT NULL,
  ref          INTEGER REFERENCES entries(id),  -- superseded, decided or closed entry
  due          TEXT,            -- YYYY-MM-DD in the project's zone
  data         TEXT NOT NULL DEFAULT '{}'       -- kind-specific fields, JSON
);
CREATE INDEX entries_kind_effective ON entries (kind, effective_at);
CREATE INDEX entries_effective ON entries (effective_at);
CREATE INDEX entries_ref ON entries (ref) WHERE ref IS NOT NULL;
CREATE INDEX entries_due ON entries (due) WHERE due IS NOT NULL;
-- The ledger is a record both sides rely on: entries are superseded, never edited.
CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
)sql"},
      {"nps_answers: each NPS answer's fields, indexed for the breakdowns", R"sql(
-- One row per entry of kind 'nps' (the entry is the record; this row is how it is measured).
CREATE TABLE nps_answers (
  entry_id    INTEGER PRIMARY KEY REFERENCES entries(id),
  answered_on TEXT NOT NULL      -- the day it was given, 'YYYY-MM-DD' in the project's zone
              CHECK (answered_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  score       INTEGER NOT NULL CHECK (typeof(score) = 'integer' AND score BETWEEN 0 AND 10),
  client      TEXT NOT NULL,
  contact     TEXT NOT NULL,
  manager     TEXT NOT NULL,
  fingerprint INTEGER UNIQUE     -- imported rows only: re-importing a file adds nothing
);
-- One covering index serves every breakdown: GROUP BY on a prefix of it runs in index order,
-- with no sort (by day and score; then manager; then client), and pm folds the rows returned.
-- Manager before client: managers are few, and a client mostly has one manager.
CREATE INDEX nps_answers_breakdown ON nps_answers (answered_on, score, manager, client);
CREATE TRIGGER nps_answers_no_update BEFORE UPDATE ON nps_answers
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
CREATE TRIGGER nps_answers_no_delete BEFORE DELETE ON nps_answers
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
)sql"},
      {"hook entries found by their commit", R"sql(
CREATE INDEX entries_commit ON entries (json_extract(data, '$.commit')) WHERE source = 'hook';
)sql"},
      {"the hash chain: each entry's hash covers it and the previous hash", R"sql(
ALTER TABLE entries ADD COLUMN prev_hash TEXT;
ALTER TABLE entries ADD COLUMN hash TEXT;
)sql",
       backfill_chain},
  };
  return k_steps;
}

}  // namespace pm
