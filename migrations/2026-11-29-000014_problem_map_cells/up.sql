-- The region-wide map of a million problems: a viewport that shows the whole Krai would
-- otherwise group ~900,000 index entries per request (0.55 s). Instead, problems are kept
-- counted per grid cell at every zoom that shows more than a city, and such a viewport
-- sums a few thousand cell rows.
--
-- A cell is identified as the map query identifies it: FLOOR(lat / cell), FLOOR(lon /
-- cell), with cell = 84.375 / 2^zoom degrees (`Viewport::cell_degrees`: about 60 screen
-- pixels). Each row also carries the filters the map offers (status, theme, municipality,
-- department), so a filtered map sums the matching rows only. The sums of latitudes,
-- longitudes and ids give each cluster its mean point and, for a single problem, its id.
--
-- Triggers on `problems` keep the counts in the transaction that changes a problem, so
-- the map is exact at once, whatever wrote the change (a step, the deadline job, a merge,
-- the seed). Rows whose count falls to zero stay (the next problem in the cell reuses
-- them); the map query skips them.
CREATE TABLE problem_map_zooms (
  zoom TINYINT UNSIGNED NOT NULL PRIMARY KEY COMMENT 'A map zoom level whose cells are counted in problem_map_cells',
  cell DOUBLE NOT NULL COMMENT 'The side of its cells in degrees: 84.375 / 2^zoom'
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='The zoom levels problem_map_cells counts problems for';

-- 84.375e0 is a DOUBLE, so the sides are exact binary fractions equal to the code's; a
-- DECIMAL 84.375 / 128 would be cut to 9 decimals (div_precision_increment).
INSERT INTO problem_map_zooms (zoom, cell)
VALUES (6, 84.375e0 / 64), (7, 84.375e0 / 128), (8, 84.375e0 / 256), (9, 84.375e0 / 512),
  (10, 84.375e0 / 1024), (11, 84.375e0 / 2048);

CREATE TABLE problem_map_cells (
  zoom TINYINT UNSIGNED NOT NULL COMMENT 'The zoom level (problem_map_zooms) the cell belongs to',
  cell_lat INT NOT NULL COMMENT 'FLOOR(lat / cell) of the problems counted',
  cell_lon INT NOT NULL COMMENT 'FLOOR(lon / cell) of the problems counted',
  status VARCHAR(16) NOT NULL COMMENT 'Status of the problems counted',
  theme_id BIGINT UNSIGNED NOT NULL COMMENT 'Theme of the problems counted',
  municipality_id BIGINT UNSIGNED NOT NULL COMMENT 'Municipality of the problems counted',
  department_id BIGINT UNSIGNED NOT NULL COMMENT 'Responsible department of the problems counted; 0 for none',
  problems INT NOT NULL COMMENT 'How many problems are in the cell with these values',
  lat_sum DOUBLE NOT NULL COMMENT 'Sum of their latitudes (their mean point is the sum over the count)',
  lon_sum DOUBLE NOT NULL COMMENT 'Sum of their longitudes',
  id_sum BIGINT NOT NULL COMMENT 'Sum of their ids: the id of the one problem when the count is 1',
  PRIMARY KEY (zoom, cell_lat, cell_lon, status, theme_id, municipality_id, department_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Problems counted per map grid cell, zoom and filter values; kept by triggers on problems';

INSERT INTO problem_map_cells
  (zoom, cell_lat, cell_lon, status, theme_id, municipality_id, department_id, problems, lat_sum, lon_sum, id_sum)
SELECT z.zoom, FLOOR(p.lat / z.cell), FLOOR(p.lon / z.cell), p.status, p.theme_id,
  p.municipality_id, COALESCE(p.department_id, 0), COUNT(*), SUM(p.lat), SUM(p.lon), SUM(p.id)
FROM problems p CROSS JOIN problem_map_zooms z
GROUP BY z.zoom, FLOOR(p.lat / z.cell), FLOOR(p.lon / z.cell), p.status, p.theme_id,
  p.municipality_id, COALESCE(p.department_id, 0);

CREATE TRIGGER problems_map_cells_insert AFTER INSERT ON problems FOR EACH ROW
INSERT INTO problem_map_cells
  (zoom, cell_lat, cell_lon, status, theme_id, municipality_id, department_id, problems, lat_sum, lon_sum, id_sum)
SELECT z.zoom, FLOOR(NEW.lat / z.cell), FLOOR(NEW.lon / z.cell), NEW.status, NEW.theme_id,
  NEW.municipality_id, COALESCE(NEW.department_id, 0), 1, NEW.lat, NEW.lon, NEW.id
FROM problem_map_zooms z
ORDER BY z.zoom
ON DUPLICATE KEY UPDATE
  problem_map_cells.problems = problem_map_cells.problems + VALUES(problems),
  problem_map_cells.lat_sum = problem_map_cells.lat_sum + VALUES(lat_sum),
  problem_map_cells.lon_sum = problem_map_cells.lon_sum + VALUES(lon_sum),
  problem_map_cells.id_sum = problem_map_cells.id_sum + VALUES(id_sum);

-- A change moves the problem out of its old cell rows and into its new ones in one
-- statement, in key order: two transactions changing problems of the same cells lock the
-- cell rows in the same order and so cannot deadlock on them. Changes that touch none of
-- the counted columns (supports, comments, deadlines) write nothing.
CREATE TRIGGER problems_map_cells_update AFTER UPDATE ON problems FOR EACH ROW
INSERT INTO problem_map_cells
  (zoom, cell_lat, cell_lon, status, theme_id, municipality_id, department_id, problems, lat_sum, lon_sum, id_sum)
SELECT moved.zoom, moved.cell_lat, moved.cell_lon, moved.status, moved.theme_id,
  moved.municipality_id, moved.department_id, moved.problems, moved.lat_sum, moved.lon_sum,
  moved.id_sum
FROM (
  SELECT z.zoom, FLOOR(OLD.lat / z.cell) AS cell_lat, FLOOR(OLD.lon / z.cell) AS cell_lon,
    OLD.status AS status, OLD.theme_id AS theme_id, OLD.municipality_id AS municipality_id,
    COALESCE(OLD.department_id, 0) AS department_id, -1 AS problems, -OLD.lat AS lat_sum,
    -OLD.lon AS lon_sum, -CAST(OLD.id AS SIGNED) AS id_sum
  FROM problem_map_zooms z
  UNION ALL
  SELECT z.zoom, FLOOR(NEW.lat / z.cell), FLOOR(NEW.lon / z.cell), NEW.status, NEW.theme_id,
    NEW.municipality_id, COALESCE(NEW.department_id, 0), 1, NEW.lat, NEW.lon,
    CAST(NEW.id AS SIGNED)
  FROM problem_map_zooms z
) moved
WHERE NOT (OLD.status <=> NEW.status AND OLD.lat <=> NEW.lat AND OLD.lon <=> NEW.lon
  AND OLD.theme_id <=> NEW.theme_id AND OLD.municipality_id <=> NEW.municipality_id
  AND OLD.department_id <=> NEW.department_id AND OLD.id <=> NEW.id)
ORDER BY moved.zoom, moved.cell_lat, moved.cell_lon, moved.status, moved.theme_id,
  moved.municipality_id, moved.department_id, moved.problems
ON DUPLICATE KEY UPDATE
  problem_map_cells.problems = problem_map_cells.problems + VALUES(problems),
  problem_map_cells.lat_sum = problem_map_cells.lat_sum + VALUES(lat_sum),
  problem_map_cells.lon_sum = problem_map_cells.lon_sum + VALUES(lon_sum),
  problem_map_cells.id_sum = problem_map_cells.id_sum + VALUES(id_sum);

CREATE TRIGGER problems_map_cells_delete AFTER DELETE ON problems FOR EACH ROW
INSERT INTO problem_map_cells
  (zoom, cell_lat, cell_lon, status, theme_id, municipality_id, department_id, problems, lat_sum, lon_sum, id_sum)
SELECT z.zoom, FLOOR(OLD.lat / z.cell), FLOOR(OLD.lon / z.cell), OLD.status, OLD.theme_id,
  OLD.municipality_id, COALESCE(OLD.department_id, 0), -1, -OLD.lat, -OLD.lon,
  -CAST(OLD.id AS SIGNED)
FROM problem_map_zooms z
ORDER BY z.zoom
ON DUPLICATE KEY UPDATE
  problem_map_cells.problems = problem_map_cells.problems + VALUES(problems),
  problem_map_cells.lat_sum = problem_map_cells.lat_sum + VALUES(lat_sum),
  problem_map_cells.lon_sum = problem_map_cells.lon_sum + VALUES(lon_sum),
  problem_map_cells.id_sum = problem_map_cells.id_sum + VALUES(id_sum);
