DROP TABLE registration_requests;
