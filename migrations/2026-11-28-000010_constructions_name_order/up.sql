-- The registry table sorted by name (ORDER BY object_name, id) reads this index in order
-- instead of sorting every entry; InnoDB appends the primary key, so it also orders ties.
ALTER TABLE constructions ADD INDEX ix_constructions_name (object_name);
