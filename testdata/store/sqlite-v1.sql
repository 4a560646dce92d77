-- A SQLite store written by schema version 1 (doc/formats/store.md), frozen:
-- never edit. sqlite_test.cc (OpensAFrozenVersion1Store) rebuilds it and opens
-- it with the current binary. Made by committing, through store.h: meta origin;
-- request req_..01 + event 0; request replaced, quota + events 1 and 2.
PRAGMA application_id = 1131180910;
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE meta (
  key   TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
INSERT INTO meta VALUES('schema_version','1');
INSERT INTO meta VALUES('origin','cloison.example/fixture');
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
INSERT INTO records VALUES('request','req_0000000000000001','Approved','L851-2','interior','dgsi',1735689600000000,1743465600000000,X'7b2276223a327d00ff');
INSERT INTO records VALUES('quota','quota_L851-2','','L851-2','','',0,0,X'7b226c696d6974223a337d');
CREATE TABLE events (
  idx  INTEGER NOT NULL PRIMARY KEY CHECK (idx >= 0),
  type TEXT    NOT NULL CHECK (type <> ''),
  body BLOB    NOT NULL CHECK (length(body) > 0)
) STRICT;
INSERT INTO events VALUES(0,'request.submitted',X'7b2276223a312c227375626a656374223a227265715f30303030303030303030303030303031227d');
INSERT INTO events VALUES(1,'decision.made',X'7b2276223a312c227375626a656374223a227265715f30303030303030303030303030303031227d');
INSERT INTO events VALUES(2,'quota.set',X'000102');
CREATE INDEX records_by_state ON records (kind, state, id);
CREATE INDEX records_by_technique ON records (kind, technique, minister, state);
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
COMMIT;
