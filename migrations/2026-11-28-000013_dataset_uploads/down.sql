DROP TABLE dataset_requests;
DROP TABLE dataset_uploads;
