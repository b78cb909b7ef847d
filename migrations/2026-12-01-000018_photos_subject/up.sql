-- Photos belong to any subject (a problem, a construction report, and the components to
-- come) instead of one nullable column per feature: the civic layer attaches, lists and
-- moves them by (subject_kind, subject_id). A foreign key cannot span kinds, so the owning
-- feature removes its subjects' photos itself (none deletes subjects today).

ALTER TABLE photos
  ADD COLUMN subject_kind VARCHAR(32) NULL COMMENT 'Kind of the subject it shows, e.g. problem; NULL while staged (not yet attached)' AFTER token,
  ADD COLUMN subject_id BIGINT UNSIGNED NULL COMMENT 'Id of the subject it shows; NULL while staged' AFTER subject_kind,
  ADD COLUMN section VARCHAR(16) NOT NULL DEFAULT '' COMMENT 'Which of the subject''s sets: empty for its own photos, verification for a published inspection''s' AFTER subject_id,
  ADD COLUMN entry_id BIGINT UNSIGNED NULL COMMENT 'The entry of the subject''s timeline it belongs to (a resolution report), if any' AFTER section;

UPDATE photos
   SET subject_kind = 'problem', subject_id = problem_id, entry_id = event_id
 WHERE problem_id IS NOT NULL;
UPDATE photos
   SET subject_kind = 'construction_report', subject_id = construction_report_id,
       section = IF(is_verification, 'verification', '')
 WHERE construction_report_id IS NOT NULL;

ALTER TABLE photos
  DROP FOREIGN KEY fk_photos_problem,
  DROP FOREIGN KEY fk_photos_event,
  DROP FOREIGN KEY fk_photos_construction_report,
  DROP INDEX ix_photos_staged,
  DROP INDEX ix_photos_problem,
  DROP INDEX ix_photos_construction_report,
  DROP COLUMN problem_id,
  DROP COLUMN event_id,
  DROP COLUMN construction_report_id,
  DROP COLUMN is_verification,
  ADD CONSTRAINT ck_photos_subject CHECK ((subject_kind IS NULL) = (subject_id IS NULL)),
  ADD INDEX ix_photos_subject (subject_kind, subject_id, id),
  -- Staged photos (subject_kind NULL) before a cutoff are one range of this index, for
  -- the cleanup of abandoned uploads.
  ADD INDEX ix_photos_staged (subject_kind, created_at),
  COMMENT = 'Photos of any subject: decoded, re-encoded without metadata, with a thumbnail';
