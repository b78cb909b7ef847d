DROP TABLE dataset_rows;
DROP TABLE dataset_versions;
DROP TABLE dataset_structures;
DROP TABLE datasets;
