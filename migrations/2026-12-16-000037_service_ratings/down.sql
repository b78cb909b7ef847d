DROP TABLE service_rank_rows;
DROP TABLE service_rank_snapshots;
DROP TABLE service_ratings;
DROP TABLE service_offerings;
DROP TABLE gov_services;
