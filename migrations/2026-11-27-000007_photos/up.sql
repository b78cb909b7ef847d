CREATE TABLE photos (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key',
  uploader_id BIGINT UNSIGNED NOT NULL COMMENT 'Who uploaded it',
  token CHAR(32) NOT NULL COMMENT 'Random handle the uploader attaches the staged photo with',
  problem_id BIGINT UNSIGNED NULL COMMENT 'The problem it shows; NULL while staged (not yet attached)',
  event_id BIGINT UNSIGNED NULL COMMENT 'The timeline entry (a resolution report) it belongs to, if any',
  file_key VARCHAR(64) NOT NULL COMMENT 'File name in the media directory; the thumbnail is <file_key>-thumb.jpg',
  width INT UNSIGNED NOT NULL COMMENT 'Width of the stored (re-encoded) image in pixels',
  height INT UNSIGNED NOT NULL COMMENT 'Height of the stored image in pixels',
  bytes INT UNSIGNED NOT NULL COMMENT 'Size of the stored image in bytes',
  created_at DATETIME NOT NULL COMMENT 'Upload time (UTC)',
  CONSTRAINT uq_photos_token UNIQUE (token),
  CONSTRAINT fk_photos_uploader FOREIGN KEY (uploader_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT fk_photos_problem FOREIGN KEY (problem_id) REFERENCES problems (id) ON DELETE CASCADE,
  CONSTRAINT fk_photos_event FOREIGN KEY (event_id) REFERENCES problem_events (id) ON DELETE SET NULL,
  INDEX ix_photos_problem (problem_id, id),
  INDEX ix_photos_staged (problem_id, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Photos of problems: decoded, re-encoded without metadata, with a thumbnail';
