ALTER TABLE photos
  DROP INDEX ix_photos_staged,
  ADD INDEX ix_photos_staged (problem_id, created_at);
