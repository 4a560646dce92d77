-- Cloison store, schema version 1 (doc/formats/store.md).
-- Applied once, inside the migration transaction; never edited after release:
-- a change to the schema is a new file 0002_*.sql.

-- Instance metadata. `schema_version` is written by the migrator, not by SQL.
CREATE TABLE meta (
  key   TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

-- One domain object per (kind, id); `body` is the domain module's encoding.
-- The other columns are copies of indexed fields, for Filter.
CREATE TABLE records (
  kind      TEXT    NOT NULL CHECK (kind <> ''),
  id        TEXT    NOT NULL CHECK (id <> ''),
  state     TEXT    NOT NULL,
  technique TEXT    NOT NULL,
  minister  TEXT    NOT NULL,
  service   TEXT    NOT NULL,
  starts_at INTEGER NOT NULL,
  ends_at   INTEGER NOT NULL,
  body      BLOB    NOT NULL,
  PRIMARY KEY (kind, id)
) STRICT;

-- Lists by state ("requests awaiting opinion"), ordered by id.
CREATE INDEX records_by_state ON records (kind, state, id);
-- Quotas: authorisations in force per technique and minister.
CREATE INDEX records_by_technique ON records (kind, technique, minister, state);

-- The ledger's entries, in commit order. idx is the rowid: 0, 1, 2, ...
CREATE TABLE events (
  idx  INTEGER NOT NULL PRIMARY KEY CHECK (idx >= 0),
  type TEXT    NOT NULL CHECK (type <> ''),
  body BLOB    NOT NULL CHECK (length(body) > 0)
) STRICT;

-- The contract's "no gap, never changed or removed", enforced by the database
-- as well as by the code, so a bug or a manual edit cannot break the ledger.
CREATE TRIGGER events_gapless BEFORE INSERT ON events
WHEN NEW.idx IS NOT (SELECT coalesce(max(idx) + 1, 0) FROM events)
BEGIN
  SELECT RAISE(ABORT, 'events: idx must be the next index (no gap)');
END;

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
  SELECT RAISE(ABORT, 'events: append-only, update refused');
END;

CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
  SELECT RAISE(ABORT, 'events: append-only, delete refused');
END;
