-- A ledger as pm wrote it at format 1 (before the commit index and the hash chain).
PRAGMA application_id = 1347243079;
CREATE TABLE entries (
  id           INTEGER PRIMARY KEY,
  kind         TEXT NOT NULL,
  recorded_at  TEXT NOT NULL,
  effective_at TEXT NOT NULL,
  author       TEXT NOT NULL,
  source       TEXT NOT NULL,
  text         TEXT NOT NULL,
  ref          INTEGER REFERENCES entries(id),
  due          TEXT,
  data         TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX entries_kind_effective ON entries (kind, effective_at);
CREATE INDEX entries_effective ON entries (effective_at);
CREATE INDEX entries_ref ON entries (ref) WHERE ref IS NOT NULL;
CREATE INDEX entries_due ON entries (due) WHERE due IS NOT NULL;
CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
INSERT INTO entries VALUES (1, 'agreement', '2026-11-02T09:00:00Z', '2026-11-02T08:00:00Z',
  'Anna Petrova', 'cli', 'Launch on 12 December', NULL, '2026-12-12', '{"with":["Ivan"],"tags":[]}');
INSERT INTO entries VALUES (2, 'agreement', '2026-11-05T09:00:00Z', '2026-11-05T08:00:00Z',
  'Anna Petrova', 'cli', 'Launch on 15 December', 1, '2026-12-15', '{"with":[],"tags":[]}');
INSERT INTO entries VALUES (3, 'done', '2026-11-06T15:00:00Z', '2026-11-06T15:00:00Z',
  'Maria', 'cli', 'Design approved', NULL, NULL, '{}');
PRAGMA user_version = 1;
