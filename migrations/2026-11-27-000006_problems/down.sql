DROP TABLE job_leases;
DROP TABLE api_keys;
DROP TABLE notifications;
DROP TABLE problem_subscriptions;
DROP TABLE problem_comments;
DROP TABLE problem_supports;
DROP TABLE problem_events;
DROP TABLE problems;
ALTER TABLE departments DROP FOREIGN KEY fk_departments_supervisor, DROP COLUMN supervisor_id;
