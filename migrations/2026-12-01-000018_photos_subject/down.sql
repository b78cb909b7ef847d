ALTER TABLE photos
  DROP INDEX ix_photos_staged,
  DROP INDEX ix_photos_subject,
  DROP CONSTRAINT ck_photos_subject,
  ADD COLUMN problem_id BIGINT UNSIGNED NULL COMMENT 'The problem it shows; NULL while staged (not yet attached)' AFTER token,
  ADD COLUMN event_id BIGINT UNSIGNED NULL COMMENT 'The timeline entry (a resolution report) it belongs to, if any' AFTER problem_id,
  ADD COLUMN construction_report_id BIGINT UNSIGNED NULL COMMENT 'The construction report it shows; NULL for problem photos and while staged' AFTER event_id,
  ADD COLUMN is_verification BOOL NOT NULL DEFAULT FALSE COMMENT 'Whether it belongs to the published verification rather than to the citizen''s report' AFTER construction_report_id;

UPDATE photos SET problem_id = subject_id, event_id = entry_id WHERE subject_kind = 'problem';
UPDATE photos
   SET construction_report_id = subject_id, is_verification = (section = 'verification')
 WHERE subject_kind = 'construction_report';
DELETE FROM photos WHERE subject_kind IS NOT NULL AND problem_id IS NULL AND construction_report_id IS NULL;

ALTER TABLE photos
  DROP COLUMN subject_kind,
  DROP COLUMN subject_id,
  DROP COLUMN section,
  DROP COLUMN entry_id,
  ADD CONSTRAINT fk_photos_problem FOREIGN KEY (problem_id) REFERENCES problems (id) ON DELETE CASCADE,
  ADD CONSTRAINT fk_photos_event FOREIGN KEY (event_id) REFERENCES problem_events (id) ON DELETE SET NULL,
  ADD CONSTRAINT fk_photos_construction_report FOREIGN KEY (construction_report_id) REFERENCES construction_reports (id) ON DELETE CASCADE,
  ADD INDEX ix_photos_problem (problem_id, id),
  ADD INDEX ix_photos_construction_report (construction_report_id, id),
  ADD INDEX ix_photos_staged (problem_id, construction_report_id, created_at)
    COMMENT 'Staged photos (both references NULL) by upload time, for the cleanup of abandoned uploads',
  COMMENT = 'Photos of problems: decoded, re-encoded without metadata, with a thumbnail';
