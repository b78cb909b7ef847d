DROP TABLE initiative_thresholds;
