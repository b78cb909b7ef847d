-- Inspection acts get a row from the moment they are uploaded, as photos do: an act
-- uploaded for a verification that was never published used to stay in the media
-- directory for good, known to nothing. The row comes first and the file second, so a
-- crash between them leaves a row whose file is missing, which the cleanup removes.
CREATE TABLE inspection_acts (
  file_key VARCHAR(64) NOT NULL COMMENT 'Random handle; the file is <file_key>.pdf in the media directory',
  report_id BIGINT UNSIGNED NOT NULL COMMENT 'The construction report it was uploaded for; only that report''s verification can name it',
  uploader_id BIGINT UNSIGNED NULL COMMENT 'The official who uploaded it; NULL for acts published before uploads were recorded',
  created_at DATETIME NOT NULL COMMENT 'When it was uploaded (UTC)',
  attached_at DATETIME NULL COMMENT 'When a published verification named it (UTC); acts never named are removed a day after upload',
  PRIMARY KEY (file_key),
  INDEX ix_inspection_acts_unattached (attached_at, created_at),
  CONSTRAINT fk_inspection_acts_report FOREIGN KEY (report_id) REFERENCES construction_reports (id),
  CONSTRAINT fk_inspection_acts_uploader FOREIGN KEY (uploader_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Uploaded inspection acts (PDF); unattached ones are removed with their files after a day';

-- The acts published verifications already name (their uploader was not recorded; the
-- report's last change stands for both times).
INSERT INTO inspection_acts (file_key, report_id, uploader_id, created_at, attached_at)
SELECT r.act_file_key, r.id, NULL, r.updated_at, r.updated_at
FROM construction_reports r
WHERE r.act_file_key IS NOT NULL;
