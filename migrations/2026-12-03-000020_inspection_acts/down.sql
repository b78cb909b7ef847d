DROP TABLE inspection_acts;
