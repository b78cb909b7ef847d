CREATE TABLE dataset_uploads (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key',
  dataset_id BIGINT UNSIGNED NOT NULL COMMENT 'The uploaded dataset the file is for',
  uploaded_by BIGINT UNSIGNED NOT NULL COMMENT 'The moderator who uploaded it',
  file_name VARCHAR(255) NOT NULL COMMENT 'The file''s name on the moderator''s computer (shown, never used as a path)',
  file_kind VARCHAR(8) NOT NULL COMMENT 'csv or xlsx (xls too): sniffed from the bytes, not the name',
  sha256 CHAR(64) NOT NULL COMMENT 'SHA-256 (hex) of the stored file',
  row_count INT UNSIGNED NOT NULL COMMENT 'Data rows below the header',
  proposed_structure JSON NOT NULL COMMENT 'The structure inferred from the file: the editor''s starting point',
  status VARCHAR(16) NOT NULL COMMENT 'staged (waiting for the structure to be confirmed), published, or discarded',
  version_id BIGINT UNSIGNED NULL COMMENT 'The version it became, once published',
  created_at DATETIME NOT NULL COMMENT 'When it was uploaded (UTC)',
  CONSTRAINT fk_dataset_uploads_dataset FOREIGN KEY (dataset_id) REFERENCES datasets (id) ON DELETE CASCADE,
  CONSTRAINT fk_dataset_uploads_user FOREIGN KEY (uploaded_by) REFERENCES users (id),
  CONSTRAINT fk_dataset_uploads_version FOREIGN KEY (version_id) REFERENCES dataset_versions (id) ON DELETE SET NULL,
  CONSTRAINT ck_dataset_uploads_status CHECK (status IN ('staged', 'published', 'discarded')),
  CONSTRAINT ck_dataset_uploads_kind CHECK (file_kind IN ('csv', 'xlsx')),
  INDEX ix_dataset_uploads_dataset (dataset_id, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Files moderators upload as new versions of uploaded datasets; the file itself is kept in the import directory until published or discarded';

CREATE TABLE dataset_requests (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key',
  user_id BIGINT UNSIGNED NOT NULL COMMENT 'The citizen who asked',
  title VARCHAR(300) NOT NULL COMMENT 'What data is wanted, in a line',
  details TEXT NOT NULL COMMENT 'Why, and in what form',
  answer TEXT NULL COMMENT 'The moderators'' public answer',
  answered_by BIGINT UNSIGNED NULL COMMENT 'The moderator who answered',
  dataset_id BIGINT UNSIGNED NULL COMMENT 'The dataset that answers the request, when one does',
  created_at DATETIME NOT NULL COMMENT 'When it was asked (UTC)',
  answered_at DATETIME NULL COMMENT 'When it was answered (UTC)',
  CONSTRAINT fk_dataset_requests_user FOREIGN KEY (user_id) REFERENCES users (id),
  CONSTRAINT fk_dataset_requests_moderator FOREIGN KEY (answered_by) REFERENCES users (id),
  CONSTRAINT fk_dataset_requests_dataset FOREIGN KEY (dataset_id) REFERENCES datasets (id) ON DELETE SET NULL,
  CONSTRAINT ck_dataset_requests_answer CHECK ((answer IS NULL) = (answered_at IS NULL) AND (answer IS NULL) = (answered_by IS NULL)),
  INDEX ix_dataset_requests_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Citizens'' requests for new open datasets and the moderators'' answers (public)';
