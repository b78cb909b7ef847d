DROP TRIGGER IF EXISTS problems_map_cells_delete;
DROP TRIGGER IF EXISTS problems_map_cells_update;
DROP TRIGGER IF EXISTS problems_map_cells_insert;
DROP TABLE IF EXISTS problem_map_cells;
DROP TABLE IF EXISTS problem_map_zooms;
