CREATE TABLE datasets (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key',
  publisher_inn VARCHAR(12) NOT NULL COMMENT 'INN of the organisation that owns the dataset: the first part of its identifier',
  code VARCHAR(87) NOT NULL COMMENT 'The second part of the identifier <INN>-<code>: lowercase Latin letters, digits and hyphens',
  source VARCHAR(16) NOT NULL COMMENT 'live (published from the portal''s own tables by code) or uploaded (files a moderator uploads)',
  live_key VARCHAR(64) NULL COMMENT 'For live datasets: the name of the definition in code that publishes it',
  title_ru VARCHAR(500) NOT NULL COMMENT 'Passport: title, in Russian',
  title_en VARCHAR(500) NOT NULL COMMENT 'Title in English',
  description_ru TEXT NOT NULL COMMENT 'Passport: description, in Russian',
  description_en TEXT NOT NULL COMMENT 'Description in English',
  creator VARCHAR(500) NOT NULL COMMENT 'Passport: the owning organisation, as named in the passport',
  subject VARCHAR(1000) NOT NULL COMMENT 'Passport: keywords, comma separated',
  publisher_name VARCHAR(255) NOT NULL COMMENT 'Passport: the responsible person (full name, optionally the post)',
  publisher_phone VARCHAR(32) NOT NULL COMMENT 'Passport: the responsible person''s phone',
  publisher_mbox VARCHAR(254) NOT NULL COMMENT 'Passport: the responsible person''s e-mail',
  valid_days INT UNSIGNED NOT NULL DEFAULT 30 COMMENT 'Days a published version stays current (the passport''s valid date is publication + this)',
  created_at DATETIME NOT NULL COMMENT 'When the dataset was defined (UTC)',
  updated_at DATETIME NOT NULL COMMENT 'When its passport last changed (UTC)',
  CONSTRAINT uq_datasets_identifier UNIQUE (publisher_inn, code),
  CONSTRAINT uq_datasets_live_key UNIQUE (live_key),
  CONSTRAINT ck_datasets_source CHECK (
    (source = 'live' AND live_key IS NOT NULL) OR (source = 'uploaded' AND live_key IS NULL)),
  FULLTEXT INDEX ft_datasets_text (title_ru, title_en, description_ru, description_en, subject)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Open datasets and their passports (Russian methodological recommendations v3.0)';

CREATE TABLE dataset_structures (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key',
  dataset_id BIGINT UNSIGNED NOT NULL COMMENT 'The dataset',
  version DATE NOT NULL COMMENT 'The structure version (structure-YYYYMMDD)',
  fields JSON NOT NULL COMMENT 'Ordered columns: a JSON array of {name, english, russian, kind}',
  latitude_column SMALLINT UNSIGNED NULL COMMENT 'Index of the latitude column, when the data has coordinates',
  longitude_column SMALLINT UNSIGNED NULL COMMENT 'Index of the longitude column, when the data has coordinates',
  created_at DATETIME NOT NULL COMMENT 'When this structure was first published (UTC)',
  CONSTRAINT uq_dataset_structures_version UNIQUE (dataset_id, version),
  CONSTRAINT fk_dataset_structures_dataset FOREIGN KEY (dataset_id) REFERENCES datasets (id) ON DELETE CASCADE,
  CONSTRAINT ck_dataset_structures_coordinates CHECK ((latitude_column IS NULL) = (longitude_column IS NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Structure versions of datasets; a new one only when the columns change';

CREATE TABLE dataset_versions (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key',
  dataset_id BIGINT UNSIGNED NOT NULL COMMENT 'The dataset',
  version DATE NOT NULL COMMENT 'The data version (data-YYYYMMDD-...): at most one per day',
  structure_id BIGINT UNSIGNED NOT NULL COMMENT 'The structure the rows follow',
  provenance VARCHAR(500) NOT NULL COMMENT 'Passport: what this version changed',
  valid_until DATE NOT NULL COMMENT 'Passport: the date until which this version is current',
  row_count INT UNSIGNED NOT NULL COMMENT 'Rows in this version',
  content_sha256 CHAR(64) NOT NULL COMMENT 'SHA-256 (hex) of the rows, so an unchanged dataset is not published again',
  published_at DATETIME NOT NULL COMMENT 'When it was published (UTC); published versions never change',
  CONSTRAINT uq_dataset_versions_version UNIQUE (dataset_id, version),
  CONSTRAINT fk_dataset_versions_dataset FOREIGN KEY (dataset_id) REFERENCES datasets (id) ON DELETE CASCADE,
  CONSTRAINT fk_dataset_versions_structure FOREIGN KEY (structure_id) REFERENCES dataset_structures (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Published, immutable versions of datasets';

CREATE TABLE dataset_rows (
  version_id BIGINT UNSIGNED NOT NULL COMMENT 'The version the row belongs to',
  row_no INT UNSIGNED NOT NULL COMMENT 'Position in the version, from 1: the key of keyset paging and streaming',
  cells JSON NOT NULL COMMENT 'The row''s values in structure order: a JSON array of strings, numbers, booleans and nulls (dates as YYYY-MM-DD)',
  PRIMARY KEY (version_id, row_no),
  CONSTRAINT fk_dataset_rows_version FOREIGN KEY (version_id) REFERENCES dataset_versions (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='The rows of every published version';
