-- Law-making: the supports a concept needs, per level, set by administrators. A concept
-- keeps the threshold it was proposed under (initiatives.support_threshold).

CREATE TABLE initiative_thresholds (
  level VARCHAR(24) NOT NULL PRIMARY KEY
    COMMENT 'region, city_okrug or municipal_district',
  supports INT UNSIGNED NOT NULL
    COMMENT 'Supports a concept of this level needs within its window',
  updated_at DATETIME NOT NULL COMMENT 'When it was last set (UTC)',
  updated_by BIGINT UNSIGNED NULL COMMENT 'The administrator who last set it; NULL for the default',
  CONSTRAINT fk_initiative_thresholds_user FOREIGN KEY (updated_by) REFERENCES users (id)
) COMMENT 'Supports a law-making concept needs to reach the idea discussion, per level';

-- The documented defaults (README): a region of 5.5 million, its city okrugs, its districts.
INSERT INTO initiative_thresholds (level, supports, updated_at) VALUES
  ('region', 1000, UTC_TIMESTAMP()),
  ('city_okrug', 300, UTC_TIMESTAMP()),
  ('municipal_district', 100, UTC_TIMESTAMP());
