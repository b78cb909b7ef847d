ALTER TABLE solutions DROP COLUMN hidden_reason, DROP COLUMN hidden_at;
ALTER TABLE challenges DROP COLUMN hidden_reason, DROP COLUMN hidden_at;
