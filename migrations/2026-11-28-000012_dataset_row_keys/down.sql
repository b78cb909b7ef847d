DROP TABLE dataset_row_keys;
