-- The sort and filter index of published versions: one entry per cell, clustered in the
-- order the rows table of a dataset page and the rows API read them. The primary key IS
-- the index (no secondary index), so a version costs one B-tree of about 50 bytes per
-- cell (plus the text prefix), written once at publication and never changed.
--
-- A cell's position is (has_value, number_key, text_key, row_no): null cells first, then
-- numbers (integer, float, date as YYYYMMDD, boolean as 0/1) or the first 64 characters
-- of text in the collation's order, ties broken by the row number. Per column only one of
-- number_key and text_key varies; the other holds its constant (0 or ''), so the columns
-- can be NOT NULL and part of the key. Sorting on a column, or an equality filter on one,
-- is a range scan of this key continued from the last position (keyset), never OFFSET.
CREATE TABLE dataset_row_keys (
  version_id BIGINT UNSIGNED NOT NULL COMMENT 'The version the cell belongs to',
  column_no SMALLINT UNSIGNED NOT NULL COMMENT 'Position of the cell''s column in the structure, from 0',
  has_value BOOLEAN NOT NULL COMMENT '0 when the cell is null (nulls sort first), else 1',
  number_key DOUBLE NOT NULL COMMENT 'The value of an integer, float, date (YYYYMMDD) or boolean (0/1) cell; 0 for nulls and text',
  text_key VARCHAR(64) NOT NULL COMMENT 'The first 64 characters of a text cell (equality is rechecked on the whole cell); empty for nulls and other types',
  row_no INT UNSIGNED NOT NULL COMMENT 'The row (dataset_rows.row_no): the tie-break of equal keys',
  PRIMARY KEY (version_id, column_no, has_value, number_key, text_key, row_no),
  CONSTRAINT fk_dataset_row_keys_version FOREIGN KEY (version_id) REFERENCES dataset_versions (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Sort and filter keys of every cell of every published version, in key order';

-- Versions published before this migration: the same keys `Datasets::index_rows` writes,
-- with the column types read from each version's structure (the code builds them from
-- the types it knows instead; a one-off backfill may be slower).
INSERT INTO dataset_row_keys (version_id, column_no, has_value, number_key, text_key, row_no)
SELECT STRAIGHT_JOIN r.version_id, j.cell_no - 1, j.t IS NOT NULL,
  CASE
    WHEN j.t IS NULL OR f.kind = 'string' THEN 0
    WHEN f.kind = 'date' THEN CAST(REPLACE(j.t, '-', '') AS DOUBLE)
    WHEN f.kind = 'boolean' THEN j.t IN ('true', '1')
    ELSE CAST(j.t AS DOUBLE)
  END,
  CASE WHEN j.t IS NOT NULL AND f.kind = 'string' THEN LEFT(j.t, 64) ELSE '' END,
  r.row_no
FROM dataset_rows r
  CROSS JOIN JSON_TABLE(r.cells, '$[*]' COLUMNS (cell_no FOR ORDINALITY, t TEXT PATH '$')) j
  JOIN dataset_versions v ON v.id = r.version_id
  JOIN dataset_structures s ON s.id = v.structure_id
  CROSS JOIN JSON_TABLE(s.fields, '$[*]' COLUMNS (
    column_no FOR ORDINALITY, kind VARCHAR(16) PATH '$.kind')) f
WHERE j.cell_no = f.column_no
ORDER BY 1, 2, 3, 4, 5, 6;
