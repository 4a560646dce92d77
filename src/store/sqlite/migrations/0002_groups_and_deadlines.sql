-- Cloison store, schema version 2 (doc/formats/store.md).
-- Records get a grouping key (the vault's items by bucket) and an index on
-- their end time, so that a retention sweep reads what expires and not what
-- is stored.

ALTER TABLE records ADD COLUMN grp TEXT NOT NULL DEFAULT '';

-- The records of one group, in id order (Filter::group with after_id pages).
CREATE INDEX records_by_group ON records (kind, grp, id);
-- What ends before a time (Filter::ends_before: buckets due for destruction).
CREATE INDEX records_by_end ON records (kind, ends_at);
