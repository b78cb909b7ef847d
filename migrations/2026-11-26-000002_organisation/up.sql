CREATE TABLE departments (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key',
  slug VARCHAR(64) NOT NULL COMMENT 'Stable Latin identifier used in URLs and open data',
  name_ru VARCHAR(255) NOT NULL COMMENT 'Name in Russian',
  name_en VARCHAR(255) NOT NULL COMMENT 'Name in English',
  level VARCHAR(16) NOT NULL COMMENT 'regional (a ministry or agency of the Krai) or municipal (part of one municipality)',
  municipality_id BIGINT UNSIGNED NULL COMMENT 'The municipality of a municipal department; NULL for regional ones',
  email VARCHAR(254) NULL COMMENT 'Public contact e-mail',
  phone VARCHAR(32) NULL COMMENT 'Public contact phone',
  is_active BOOL NOT NULL DEFAULT TRUE COMMENT 'Inactive departments receive no new work',
  CONSTRAINT uq_departments_slug UNIQUE (slug),
  CONSTRAINT fk_departments_municipality FOREIGN KEY (municipality_id) REFERENCES municipalities (id),
  CONSTRAINT ck_departments_level CHECK (
    (level = 'regional' AND municipality_id IS NULL) OR (level = 'municipal' AND municipality_id IS NOT NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Government bodies that receive and answer citizens'' reports';

CREATE TABLE themes (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key',
  slug VARCHAR(64) NOT NULL COMMENT 'Stable Latin identifier; the Open311 service_code',
  name_ru VARCHAR(255) NOT NULL COMMENT 'Name in Russian',
  name_en VARCHAR(255) NOT NULL COMMENT 'Name in English',
  description_ru VARCHAR(1000) NOT NULL DEFAULT '' COMMENT 'What belongs to this theme, in Russian',
  description_en VARCHAR(1000) NOT NULL DEFAULT '' COMMENT 'What belongs to this theme, in English',
  premoderation BOOL NOT NULL DEFAULT TRUE COMMENT 'Whether reports in this theme wait for a moderator before publication',
  reaction_days INT UNSIGNED NOT NULL DEFAULT 10 COMMENT 'Days from publication until an official reaction is due',
  sort_order INT NOT NULL DEFAULT 0 COMMENT 'Position in lists, ascending',
  is_active BOOL NOT NULL DEFAULT TRUE COMMENT 'Inactive themes accept no new reports',
  CONSTRAINT uq_themes_slug UNIQUE (slug),
  CONSTRAINT ck_themes_reaction_days CHECK (reaction_days BETWEEN 1 AND 90)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Problem categories citizens choose from';

CREATE TABLE routing_rules (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key',
  theme_id BIGINT UNSIGNED NOT NULL COMMENT 'The theme this rule routes',
  municipality_id BIGINT UNSIGNED NULL COMMENT 'The municipality this rule applies to; NULL for the regional fallback of the theme',
  department_id BIGINT UNSIGNED NOT NULL COMMENT 'The department that receives matching reports',
  municipality_key BIGINT UNSIGNED AS (IFNULL(municipality_id, 0)) STORED COMMENT 'municipality_id with 0 for the regional rule, so that the unique key also covers the fallback',
  CONSTRAINT uq_routing_rules_theme_municipality UNIQUE (theme_id, municipality_key),
  CONSTRAINT fk_routing_rules_theme FOREIGN KEY (theme_id) REFERENCES themes (id) ON DELETE CASCADE,
  CONSTRAINT fk_routing_rules_municipality FOREIGN KEY (municipality_id) REFERENCES municipalities (id),
  CONSTRAINT fk_routing_rules_department FOREIGN KEY (department_id) REFERENCES departments (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Which department receives reports of a theme in a municipality; most specific rule wins';
