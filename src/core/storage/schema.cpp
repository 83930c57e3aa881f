#include "pm/storage/schema.hpp"

#include "pm/storage/chain.hpp"

// The fingerprint index as step 9 creates it; an import into a ledger without fingerprints
// drops it and creates it again with the same text after its rows (nps_import.cpp).
#define PM_NPS_FINGERPRINT_INDEX \
  "CREATE UNIQUE INDEX nps_answers_fingerprint ON nps_answers (fingerprint)"

namespace pm {

const char* nps_fingerprint_index_sql() { return PM_NPS_FINGERPRINT_INDEX; }

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
      {"items and change approvals: what the weekly report needs, without reading history",
       R"sql(
-- Derived state, kept by the triggers below on every append (whichever command or import
-- writes) and filled here for older ledgers. A weekly report reads a week of entries plus
-- these: its cost does not grow with the age of the project (docs/performance.md).

-- Every risk and agreement, and when it stopped being open: the effective time of the first
-- entry that closed it (a risk-close for a risk; a done note or a superseding agreement for
-- an agreement). Open items carry the far future, so "open at the end of a period" is one
-- index range: closed_at >= the period's end.
CREATE TABLE items (
  id           INTEGER PRIMARY KEY REFERENCES entries(id),
  kind         TEXT NOT NULL,
  effective_at TEXT NOT NULL,
  due          TEXT,
  closed_at    TEXT NOT NULL DEFAULT '9999-12-31T23:59:59Z'
);
CREATE INDEX items_open ON items (kind, closed_at);
-- Overdue and upcoming agreements: the open ones with a due date, without those open forever
-- with none ("payment within ten days of each invoice").
CREATE INDEX items_dated ON items (kind, closed_at, due) WHERE due IS NOT NULL;

-- When each change was approved under the change protocol: only each side's first decision
-- counts; the change is approved when both first decisions approve, at the later of the two.
CREATE VIEW change_approval AS
SELECT change_id, max(client_at, team_at) AS approved_at, days FROM (
  SELECT c.id AS change_id,
         CAST(coalesce(json_extract(c.data, '$.days'), 0) AS INTEGER) AS days,
         (SELECT d.effective_at FROM entries d INDEXED BY entries_ref
          WHERE d.ref = c.id AND d.kind = 'change-decision'
            AND json_extract(d.data, '$.side') IS NOT 'team'
          ORDER BY d.effective_at, d.id LIMIT 1) AS client_at,
         (SELECT json_extract(d.data, '$.verdict') FROM entries d INDEXED BY entries_ref
          WHERE d.ref = c.id AND d.kind = 'change-decision'
            AND json_extract(d.data, '$.side') IS NOT 'team'
          ORDER BY d.effective_at, d.id LIMIT 1) AS client_verdict,
         (SELECT d.effective_at FROM entries d INDEXED BY entries_ref
          WHERE d.ref = c.id AND d.kind = 'change-decision'
            AND json_extract(d.data, '$.side') IS 'team'
          ORDER BY d.effective_at, d.id LIMIT 1) AS team_at,
         (SELECT json_extract(d.data, '$.verdict') FROM entries d INDEXED BY entries_ref
          WHERE d.ref = c.id AND d.kind = 'change-decision'
            AND json_extract(d.data, '$.side') IS 'team'
          ORDER BY d.effective_at, d.id LIMIT 1) AS team_verdict
  FROM entries c)
WHERE client_at IS NOT NULL AND team_at IS NOT NULL
  AND client_verdict IS NOT 'reject' AND team_verdict IS NOT 'reject';

-- The approved changes in order of approval, each with the running total of their days: the
-- deadline's shift at any moment is one row.
CREATE TABLE change_approvals (
  change_id   INTEGER PRIMARY KEY REFERENCES entries(id),
  approved_at TEXT NOT NULL,
  days        INTEGER NOT NULL,
  total_days  INTEGER NOT NULL   -- days of this and every earlier approval
);
CREATE INDEX change_approvals_order ON change_approvals (approved_at, change_id, total_days);

INSERT INTO items (id, kind, effective_at, due, closed_at)
SELECT e.id, e.kind, e.effective_at, e.due,
       coalesce((SELECT min(r.effective_at) FROM entries r INDEXED BY entries_ref
                 WHERE r.ref = e.id AND r.kind IN ('agreement', 'done', 'risk-close')
                   AND (r.kind = 'risk-close') = (e.kind = 'risk')),
                '9999-12-31T23:59:59Z')
FROM entries e WHERE e.kind IN ('agreement', 'risk');

INSERT INTO change_approvals (change_id, approved_at, days, total_days)
SELECT change_id, approved_at, days,
       sum(days) OVER (ORDER BY approved_at, change_id ROWS UNBOUNDED PRECEDING)
FROM change_approval
WHERE change_id IN (SELECT ref FROM entries WHERE kind = 'change-decision');

CREATE TRIGGER items_add AFTER INSERT ON entries
WHEN NEW.kind IN ('agreement', 'risk')
BEGIN
  INSERT INTO items (id, kind, effective_at, due)
  VALUES (NEW.id, NEW.kind, NEW.effective_at, NEW.due);
END;

CREATE TRIGGER items_close AFTER INSERT ON entries
WHEN NEW.ref IS NOT NULL AND NEW.kind IN ('agreement', 'done', 'risk-close')
BEGIN
  UPDATE items SET closed_at = NEW.effective_at
  WHERE id = NEW.ref AND closed_at > NEW.effective_at
    AND kind = CASE NEW.kind WHEN 'risk-close' THEN 'risk' ELSE 'agreement' END;
END;

-- A decision may approve its change (or, arriving out of order, undo an approval): take the
-- change out of the running totals and put it back as the protocol now counts it.
CREATE TRIGGER change_approvals_decide AFTER INSERT ON entries
WHEN NEW.kind = 'change-decision' AND NEW.ref IS NOT NULL
BEGIN
  UPDATE change_approvals
  SET total_days = total_days - (SELECT days FROM change_approvals WHERE change_id = NEW.ref)
  WHERE (approved_at, change_id) >
        (SELECT approved_at, change_id FROM change_approvals WHERE change_id = NEW.ref);
  DELETE FROM change_approvals WHERE change_id = NEW.ref;
  INSERT INTO change_approvals (change_id, approved_at, days, total_days)
  SELECT a.change_id, a.approved_at, a.days,
         a.days + coalesce((SELECT p.total_days FROM change_approvals p
                            WHERE (p.approved_at, p.change_id) < (a.approved_at, a.change_id)
                            ORDER BY p.approved_at DESC, p.change_id DESC LIMIT 1), 0)
  FROM change_approval a WHERE a.change_id = NEW.ref;
  UPDATE change_approvals
  SET total_days = total_days + (SELECT days FROM change_approvals WHERE change_id = NEW.ref)
  WHERE (approved_at, change_id) >
        (SELECT approved_at, change_id FROM change_approvals WHERE change_id = NEW.ref);
END;
)sql"},
      {"per-kind numbers: agreement 3, change 2, risk 1", R"sql(
-- Entries written from now on carry their number, and their hash covers it (chain.cpp).
ALTER TABLE entries ADD COLUMN number INTEGER;
-- Every numbered entry's number, whichever way it got one: written with the entry, or given by
-- this step to the entries before it, in id order (their hashes stay as they were). Derived:
-- a kind's numbers are 1..n in id order; check_numbers() proves it.
CREATE TABLE numbers (
  entry_id INTEGER PRIMARY KEY REFERENCES entries(id),
  kind     TEXT NOT NULL,
  number   INTEGER NOT NULL,
  UNIQUE (kind, number)
);
INSERT INTO numbers (entry_id, kind, number)
SELECT id, kind, row_number() OVER (PARTITION BY kind ORDER BY id)
FROM entries WHERE kind IN ('agreement', 'change', 'decision', 'risk');
)sql"},
      {"agreement transitions: a fulfilled or withdrawn agreement is no longer open", R"sql(
-- An agreement-state entry (pm agreement fulfil|withdraw) closes its agreement the way a done
-- note does. Earlier ledgers hold none, so nothing is backfilled.
CREATE TRIGGER items_close_state AFTER INSERT ON entries
WHEN NEW.ref IS NOT NULL AND NEW.kind = 'agreement-state'
  AND json_extract(NEW.data, '$.state') IN ('fulfilled', 'withdrawn')
BEGIN
  UPDATE items SET closed_at = NEW.effective_at
  WHERE id = NEW.ref AND closed_at > NEW.effective_at AND kind = 'agreement';
END;
)sql"},
      {"messages: each Message-ID the ledger holds, for idempotent mail import and threads", R"sql(
-- A letter, a request or a reply that came through mail names its Message-ID in data; the
-- first entry naming an id keeps it. Derived: integrity.cpp recomputes it from entries.
CREATE TABLE messages (
  message_id TEXT PRIMARY KEY,
  entry_id   INTEGER NOT NULL REFERENCES entries(id)
) WITHOUT ROWID;
CREATE TRIGGER messages_add AFTER INSERT ON entries
WHEN NEW.kind IN ('letter', 'request', 'reply', 'escalation')
  AND json_extract(NEW.data, '$.message_id') IS NOT NULL
BEGIN
  INSERT OR IGNORE INTO messages (message_id, entry_id)
  VALUES (json_extract(NEW.data, '$.message_id'), NEW.id);
END;
INSERT OR IGNORE INTO messages (message_id, entry_id)
SELECT json_extract(data, '$.message_id'), id FROM entries
WHERE kind IN ('letter', 'request', 'reply', 'escalation')
  AND json_extract(data, '$.message_id') IS NOT NULL
ORDER BY id;
)sql"},
      {"nps_answers: an import is one entry; its answers are rows covered by its digest", R"sql(
-- pm nps import writes one entry of kind 'nps-import' for a whole file: its data holds the
-- SHA-256 digest of its answers' rows (chain.hpp, nps_import_digest), so the chain covers every
-- answer, and the answers themselves are rows here only. A row's entry_id is its own 'nps'
-- entry (pm nps add, imports before this step) or the import entry that covers it; rows get
-- their own id, in the order they were written. The rows of 'nps' entries keep their ids.
-- comment and at are an imported answer's (an 'nps' entry holds its own in text and
-- effective_at; there they are NULL). No foreign key: an import writes its rows before its
-- entry, whose hash needs their digest; pm verify proves each row's entry.
ALTER TABLE nps_answers RENAME TO nps_answers_before_imports;
CREATE TABLE nps_answers (
  id          INTEGER PRIMARY KEY,
  entry_id    INTEGER NOT NULL,  -- the 'nps' or 'nps-import' entry that records the answer
  answered_on TEXT NOT NULL      -- the day it was given, 'YYYY-MM-DD' in the project's zone
              CHECK (answered_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  score       INTEGER NOT NULL CHECK (typeof(score) = 'integer' AND score BETWEEN 0 AND 10),
  client      TEXT NOT NULL,
  contact     TEXT NOT NULL,
  manager     TEXT NOT NULL,
  fingerprint INTEGER,           -- imported rows only: re-importing a file adds nothing
  comment     TEXT,              -- an imported answer's comment ('' for none)
  at          TEXT               -- an imported answer's exact time (UTC) when the file gave one
);
INSERT INTO nps_answers (id, entry_id, answered_on, score, client, contact, manager, fingerprint)
SELECT entry_id, entry_id, answered_on, score, client, contact, manager, fingerprint
FROM nps_answers_before_imports ORDER BY entry_id;
DROP TABLE nps_answers_before_imports;
CREATE INDEX nps_answers_breakdown ON nps_answers (answered_on, score, manager, client);
)sql" PM_NPS_FINGERPRINT_INDEX R"sql(;
CREATE TRIGGER nps_answers_no_update BEFORE UPDATE ON nps_answers
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
CREATE TRIGGER nps_answers_no_delete BEFORE DELETE ON nps_answers
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
)sql"},
      {"items' indexes answer \"open at a moment\" without reading items rows", R"sql(
-- Open at T is "created before T and closed at or after T". In a week far back in a long
-- history the closed_at range alone holds every item closed since (88,000 agreements in a
-- 1,000,000-entry ledger): with effective_at (and due) in the index, SQLite tests them in the
-- index and reads only the rows that match.
DROP INDEX items_open;
CREATE INDEX items_open ON items (kind, closed_at, effective_at);
DROP INDEX items_dated;
CREATE INDEX items_dated ON items (kind, closed_at, due, effective_at) WHERE due IS NOT NULL;
-- Coming up: a few weeks of due dates, whatever the moment.
CREATE INDEX items_due ON items (kind, due, closed_at, effective_at) WHERE due IS NOT NULL;
)sql"},
  };
  return k_steps;
}

}  // namespace pm
