DROP TABLE priority_rank_rows;
DROP TABLE priority_rank_scopes;
DROP TABLE priority_rank_snapshots;
DROP TABLE home_municipality_changes;
DROP TABLE priority_votes;
DROP TABLE priorities;
ALTER TABLE municipalities DROP COLUMN population_source, DROP COLUMN population;
