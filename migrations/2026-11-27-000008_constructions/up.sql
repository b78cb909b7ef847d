CREATE TABLE constructions (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key',
  registry_number VARCHAR(64) NOT NULL COMMENT 'Registry number, unique; the key the Excel import matches on',
  object_name VARCHAR(500) NOT NULL COMMENT 'What is built',
  address VARCHAR(500) NOT NULL COMMENT 'Address text',
  lat DOUBLE NOT NULL COMMENT 'Latitude (WGS84)',
  lon DOUBLE NOT NULL COMMENT 'Longitude (WGS84)',
  municipality_id BIGINT UNSIGNED NOT NULL COMMENT 'The municipality it is in',
  developer_name VARCHAR(500) NOT NULL COMMENT 'The developer',
  developer_inn VARCHAR(12) NOT NULL COMMENT 'The developer''s INN (10 or 12 digits, checksum valid)',
  permit_number VARCHAR(64) NOT NULL COMMENT 'Building permit number',
  permit_date DATE NOT NULL COMMENT 'Date the permit was issued',
  permit_issuer VARCHAR(500) NOT NULL COMMENT 'Who issued the permit',
  permitted_use VARCHAR(255) NOT NULL COMMENT 'Permitted use',
  floors SMALLINT UNSIGNED NULL COMMENT 'Floors above ground, when known',
  total_area_m2 DOUBLE NULL COMMENT 'Total area in square metres, when known',
  planned_completion DATE NULL COMMENT 'Planned completion, when known',
  status VARCHAR(24) NOT NULL COMMENT 'permit_issued, under_construction, commissioned, suspended or revoked',
  footprint JSON NULL COMMENT 'Approved footprint as a GeoJSON Polygon geometry, when known',
  report_count INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'Public citizens'' reports about it (kept with the reports)',
  violation_count INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'Reports with a confirmed violation',
  created_at DATETIME NOT NULL COMMENT 'When the entry was added (UTC)',
  updated_at DATETIME NOT NULL COMMENT 'When the entry last changed (UTC)',
  CONSTRAINT uq_constructions_number UNIQUE (registry_number),
  CONSTRAINT fk_constructions_municipality FOREIGN KEY (municipality_id) REFERENCES municipalities (id),
  CONSTRAINT ck_constructions_status CHECK (status IN ('permit_issued', 'under_construction', 'commissioned', 'suspended', 'revoked')),
  CONSTRAINT ck_constructions_floors CHECK (floors IS NULL OR floors BETWEEN 1 AND 200),
  INDEX ix_constructions_municipality (municipality_id, permit_date, id),
  INDEX ix_constructions_status (status, permit_date, id),
  INDEX ix_constructions_permit_date (permit_date, id),
  INDEX ix_constructions_inn (developer_inn, permit_date),
  INDEX ix_constructions_point (lat, lon),
  FULLTEXT INDEX ft_constructions_text (registry_number, object_name, address, developer_name, permit_number)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='The public registry of permitted constructions';

CREATE TABLE registry_imports (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key',
  user_id BIGINT UNSIGNED NOT NULL COMMENT 'The official who imported',
  file_name VARCHAR(255) NOT NULL COMMENT 'The uploaded file''s name, as the official''s computer called it',
  file_sha256 CHAR(64) NOT NULL COMMENT 'SHA-256 (hex) of the uploaded bytes',
  phase VARCHAR(16) NOT NULL COMMENT 'uploaded, checking, checked, committing, committed or failed',
  headers JSON NULL COMMENT 'The sheet''s header texts: a JSON array, one per column',
  mapping JSON NULL COMMENT 'Column mapping used: a JSON array, one registry field key (or null) per sheet column',
  total_rows INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'Data rows in the sheet',
  processed_rows INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'Rows processed so far by the running phase (progress)',
  added INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'Entries the import adds (dry run) or added (committed)',
  updated INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'Entries it changes or changed',
  unchanged INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'Rows equal to the registry',
  error_count INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'Bad rows found by the dry run',
  errors JSON NULL COMMENT 'The first bad rows found by the dry run (row, column, reason)',
  failure VARCHAR(64) NULL COMMENT 'Why the file could not be read or the commit failed (a stable code)',
  created_at DATETIME NOT NULL COMMENT 'Upload time (UTC)',
  committed_at DATETIME NULL COMMENT 'When the commit finished (UTC)',
  CONSTRAINT fk_registry_imports_user FOREIGN KEY (user_id) REFERENCES users (id),
  CONSTRAINT ck_registry_imports_phase CHECK (phase IN ('uploaded', 'checking', 'checked', 'committing', 'committed', 'failed')),
  INDEX ix_registry_imports_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Excel imports of the registry: the log with counts, and the progress of a running one';

CREATE TABLE import_mappings (
  header_signature CHAR(64) NOT NULL PRIMARY KEY COMMENT 'SHA-256 (hex) of the normalised header row',
  mapping JSON NOT NULL COMMENT 'The column mapping last confirmed for such a header row',
  updated_at DATETIME NOT NULL COMMENT 'When it was last saved (UTC)'
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Saved column mappings, reused when a workbook with the same headers is uploaded';

CREATE TABLE construction_changes (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key',
  construction_id BIGINT UNSIGNED NOT NULL COMMENT 'The registry entry',
  kind VARCHAR(16) NOT NULL COMMENT 'created or updated',
  changes JSON NOT NULL COMMENT 'Changed fields: an array of {field, before, after} (before is null on creation)',
  user_id BIGINT UNSIGNED NULL COMMENT 'The official who made the change',
  import_id BIGINT UNSIGNED NULL COMMENT 'The import that made the change, if any',
  changed_at DATETIME NOT NULL COMMENT 'When (UTC)',
  CONSTRAINT fk_construction_changes_construction FOREIGN KEY (construction_id) REFERENCES constructions (id) ON DELETE CASCADE,
  CONSTRAINT fk_construction_changes_user FOREIGN KEY (user_id) REFERENCES users (id),
  CONSTRAINT fk_construction_changes_import FOREIGN KEY (import_id) REFERENCES registry_imports (id),
  INDEX ix_construction_changes_entry (construction_id, id),
  INDEX ix_construction_changes_import (import_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='The public history of every registry entry';

CREATE TABLE construction_reports (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key; the report''s public number',
  kind VARCHAR(24) NOT NULL COMMENT 'not_in_registry or differs_from_permit',
  construction_id BIGINT UNSIGNED NULL COMMENT 'The registry entry it is about (differs_from_permit only)',
  aspect VARCHAR(16) NULL COMMENT 'floors, footprint, use or location (differs_from_permit only)',
  lat DOUBLE NOT NULL COMMENT 'Latitude of the construction',
  lon DOUBLE NOT NULL COMMENT 'Longitude of the construction',
  municipality_id BIGINT UNSIGNED NOT NULL COMMENT 'Municipality of the point',
  address VARCHAR(500) NOT NULL DEFAULT '' COMMENT 'Address text, as the reporter gave it',
  description TEXT NOT NULL COMMENT 'What the reporter saw',
  author_id BIGINT UNSIGNED NOT NULL COMMENT 'Who reported',
  department_id BIGINT UNSIGNED NOT NULL COMMENT 'The supervision department it is routed to',
  status VARCHAR(24) NOT NULL COMMENT 'submitted, under_verification, violation_confirmed, not_confirmed or measures_taken',
  verified_on DATE NULL COMMENT 'Date of the inspection (published)',
  findings TEXT NULL COMMENT 'The inspector''s findings (published)',
  act_file_key VARCHAR(64) NULL COMMENT 'The inspection act as a PDF in the media directory (<key>.pdf), if attached',
  measures TEXT NULL COMMENT 'Measures taken: order, fine, court, demolition (published)',
  created_at DATETIME NOT NULL COMMENT 'When it was submitted (UTC)',
  updated_at DATETIME NOT NULL COMMENT 'When its status last changed (UTC)',
  CONSTRAINT fk_construction_reports_construction FOREIGN KEY (construction_id) REFERENCES constructions (id),
  CONSTRAINT fk_construction_reports_municipality FOREIGN KEY (municipality_id) REFERENCES municipalities (id),
  CONSTRAINT fk_construction_reports_author FOREIGN KEY (author_id) REFERENCES users (id),
  CONSTRAINT fk_construction_reports_department FOREIGN KEY (department_id) REFERENCES departments (id),
  CONSTRAINT ck_construction_reports_kind CHECK (
    (kind = 'not_in_registry' AND construction_id IS NULL AND aspect IS NULL)
    OR (kind = 'differs_from_permit' AND construction_id IS NOT NULL AND aspect IN ('floors', 'footprint', 'use', 'location'))),
  CONSTRAINT ck_construction_reports_status CHECK (status IN ('submitted', 'under_verification', 'violation_confirmed', 'not_confirmed', 'measures_taken')),
  INDEX ix_construction_reports_status (status, created_at),
  INDEX ix_construction_reports_municipality (municipality_id, created_at),
  INDEX ix_construction_reports_department (department_id, status, created_at),
  INDEX ix_construction_reports_construction (construction_id, created_at),
  INDEX ix_construction_reports_author (author_id, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Citizens'' reports of illegal construction and their published verification';

CREATE TABLE construction_report_events (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key',
  report_id BIGINT UNSIGNED NOT NULL COMMENT 'The report',
  status VARCHAR(24) NOT NULL COMMENT 'The status the report entered',
  actor_id BIGINT UNSIGNED NULL COMMENT 'Who made the step',
  body TEXT NULL COMMENT 'Findings or measures written with the step',
  at DATETIME NOT NULL COMMENT 'When (UTC)',
  CONSTRAINT fk_construction_report_events_report FOREIGN KEY (report_id) REFERENCES construction_reports (id) ON DELETE CASCADE,
  CONSTRAINT fk_construction_report_events_actor FOREIGN KEY (actor_id) REFERENCES users (id),
  INDEX ix_construction_report_events_report (report_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='The public history of a construction report';

ALTER TABLE photos
  ADD COLUMN construction_report_id BIGINT UNSIGNED NULL COMMENT 'The construction report it shows; NULL for problem photos and while staged' AFTER event_id,
  ADD COLUMN is_verification BOOL NOT NULL DEFAULT FALSE COMMENT 'Whether it belongs to the published verification rather than to the citizen''s report' AFTER construction_report_id,
  ADD CONSTRAINT fk_photos_construction_report FOREIGN KEY (construction_report_id) REFERENCES construction_reports (id) ON DELETE CASCADE,
  ADD INDEX ix_photos_construction_report (construction_report_id, id);

ALTER TABLE notifications
  ADD COLUMN construction_report_id BIGINT UNSIGNED NULL COMMENT 'The construction report it is about' AFTER problem_id,
  ADD CONSTRAINT fk_notifications_construction_report FOREIGN KEY (construction_report_id) REFERENCES construction_reports (id) ON DELETE CASCADE;
