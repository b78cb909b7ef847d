-- The registry of illegal constructions: buildings put up without the local authority's
-- permission, found by an inspection, a citizen's report or another agency, and followed
-- through the case to its end (demolished or legalised). Public like the registry of
-- permits; each entry keeps the history of its status with the decision documents.
CREATE TABLE illegal_constructions (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key',
  registry_number VARCHAR(64) NOT NULL COMMENT 'Registry number, unique; the key an import matches on',
  object_name VARCHAR(500) NOT NULL COMMENT 'What was built',
  address VARCHAR(500) NOT NULL COMMENT 'Address text',
  lat DOUBLE NOT NULL COMMENT 'Latitude (WGS84)',
  lon DOUBLE NOT NULL COMMENT 'Longitude (WGS84)',
  municipality_id BIGINT UNSIGNED NOT NULL COMMENT 'The municipality it is in',
  cadastral_number VARCHAR(40) NULL COMMENT 'Cadastral number of the land plot or building, where known',
  owner_name VARCHAR(500) NULL COMMENT 'The owner or developer, where known',
  floors SMALLINT UNSIGNED NULL COMMENT 'Floors above ground, when known',
  total_area_m2 DOUBLE NULL COMMENT 'Total area in square metres, when known',
  found_by VARCHAR(16) NOT NULL COMMENT 'inspection, citizen_report or agency',
  status VARCHAR(24) NOT NULL COMMENT 'identified, case_opened, court, demolition_ordered, demolished or legalised',
  identified_on DATE NOT NULL COMMENT 'When it was identified',
  decided_on DATE NULL COMMENT 'When a decision on it was first taken (demolition ordered, demolished or legalised)',
  report_id BIGINT UNSIGNED NULL COMMENT 'The citizen''s report whose confirmation entered it, if any',
  created_at DATETIME NOT NULL COMMENT 'When the entry was added (UTC)',
  updated_at DATETIME NOT NULL COMMENT 'When the entry last changed (UTC)',
  CONSTRAINT uq_illegal_constructions_number UNIQUE (registry_number),
  CONSTRAINT uq_illegal_constructions_report UNIQUE (report_id),
  CONSTRAINT fk_illegal_constructions_municipality FOREIGN KEY (municipality_id) REFERENCES municipalities (id),
  CONSTRAINT fk_illegal_constructions_report FOREIGN KEY (report_id) REFERENCES construction_reports (id),
  CONSTRAINT ck_illegal_constructions_found_by CHECK (found_by IN ('inspection', 'citizen_report', 'agency')),
  CONSTRAINT ck_illegal_constructions_status CHECK (status IN ('identified', 'case_opened', 'court', 'demolition_ordered', 'demolished', 'legalised')),
  CONSTRAINT ck_illegal_constructions_floors CHECK (floors IS NULL OR floors BETWEEN 1 AND 200),
  INDEX ix_illegal_constructions_identified (identified_on, id),
  INDEX ix_illegal_constructions_municipality (municipality_id, identified_on, id),
  INDEX ix_illegal_constructions_status (status, identified_on, id),
  INDEX ix_illegal_constructions_point (lat, lon)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='The public registry of illegal (unauthorised) constructions';

CREATE TABLE illegal_construction_events (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key',
  illegal_construction_id BIGINT UNSIGNED NOT NULL COMMENT 'The registry entry',
  status VARCHAR(24) NOT NULL COMMENT 'The status the entry entered',
  decided_on DATE NOT NULL COMMENT 'The date of the step or of its decision document',
  document TEXT NULL COMMENT 'The decision document: its kind, number and what it says (published)',
  actor_id BIGINT UNSIGNED NULL COMMENT 'The official who recorded the step',
  import_id BIGINT UNSIGNED NULL COMMENT 'The import that recorded it, if any',
  at DATETIME NOT NULL COMMENT 'When it was recorded (UTC)',
  CONSTRAINT fk_illegal_construction_events_entry FOREIGN KEY (illegal_construction_id) REFERENCES illegal_constructions (id) ON DELETE CASCADE,
  CONSTRAINT fk_illegal_construction_events_actor FOREIGN KEY (actor_id) REFERENCES users (id),
  CONSTRAINT fk_illegal_construction_events_import FOREIGN KEY (import_id) REFERENCES registry_imports (id),
  INDEX ix_illegal_construction_events_entry (illegal_construction_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='The public history of an illegal construction: each status with its decision document';

-- Both registries are imported from Excel through the same log, mapping and phases.
ALTER TABLE registry_imports
  ADD COLUMN register VARCHAR(16) NOT NULL DEFAULT 'permitted' COMMENT 'The registry the import writes: permitted or illegal' AFTER user_id,
  ADD CONSTRAINT ck_registry_imports_register CHECK (register IN ('permitted', 'illegal'));
