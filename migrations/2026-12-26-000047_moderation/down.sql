ALTER TABLE users DROP COLUMN suspended_until;
ALTER TABLE publications DROP COLUMN hidden_reason, DROP COLUMN hidden_at;
DROP TABLE content_reports;
DROP TABLE moderation_decisions;
