-- Cloison store, schema version 3 (doc/formats/store.md).
-- The four secondary indexes hold only the records that set their column:
-- a record whose state, technique, group or end is absent ('' or 0) costs
-- no entry there. Kinds written in great numbers (the vault's items) set
-- only the columns their lists filter on, so creating and destroying one
-- touches two or three B-trees instead of six. Queries add the matching
-- "column <> ''" term (store/sqlite/queries.cc) so the planner may use them.

DROP INDEX records_by_state;
DROP INDEX records_by_technique;
DROP INDEX records_by_group;
DROP INDEX records_by_end;

CREATE INDEX records_by_state ON records (kind, state, id) WHERE state <> '';
CREATE INDEX records_by_technique ON records (kind, technique, minister, state)
  WHERE technique <> '';
CREATE INDEX records_by_group ON records (kind, grp, id) WHERE grp <> '';
CREATE INDEX records_by_end ON records (kind, ends_at) WHERE ends_at <> 0;
