-- Solutions for city problems: challenges (a known city problem that officials or
-- moderators publish, with its area on the map and a period for proposals) and the
-- solutions citizens propose to them, each with an optional sketch on the map and the
-- owner's public answer. Supports, comments and follows are the civic tables', keyed by
-- the subject kinds `challenge` and `solution`; staff answers are audited.

CREATE TABLE challenges (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key',
  municipality_id BIGINT UNSIGNED NULL COMMENT 'The municipality it concerns; NULL for the whole region',
  theme_id BIGINT UNSIGNED NOT NULL COMMENT 'Its theme',
  department_id BIGINT UNSIGNED NULL COMMENT 'The department that owns it and answers its solutions; NULL when the moderators do',
  title VARCHAR(200) NOT NULL COMMENT 'Title, as typed',
  description VARCHAR(8000) NOT NULL COMMENT 'The problem and what is asked for, as typed',
  area_geojson MEDIUMTEXT NULL COMMENT 'Its place on the map, when it has one: a canonical GeoJSON Point, MultiPoint, LineString or Polygon',
  proposals_until DATE NOT NULL COMMENT 'The last day (region time) solutions can be proposed',
  solution_count INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'How many solutions were proposed',
  author_id BIGINT UNSIGNED NOT NULL COMMENT 'Who published it',
  created_at DATETIME NOT NULL COMMENT 'When it was published (UTC)',
  updated_at DATETIME NOT NULL COMMENT 'When it last changed (UTC)',
  CONSTRAINT fk_challenges_municipality FOREIGN KEY (municipality_id) REFERENCES municipalities (id),
  CONSTRAINT fk_challenges_theme FOREIGN KEY (theme_id) REFERENCES themes (id),
  CONSTRAINT fk_challenges_department FOREIGN KEY (department_id) REFERENCES departments (id),
  CONSTRAINT fk_challenges_author FOREIGN KEY (author_id) REFERENCES users (id),
  INDEX ix_challenges_created (created_at),
  INDEX ix_challenges_municipality (municipality_id, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Known city problems published for citizens to propose solutions to';

CREATE TABLE solutions (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key',
  challenge_id BIGINT UNSIGNED NOT NULL COMMENT 'The challenge it answers',
  author_id BIGINT UNSIGNED NOT NULL COMMENT 'Who proposed it',
  title VARCHAR(200) NOT NULL COMMENT 'Title, as typed',
  description VARCHAR(8000) NOT NULL COMMENT 'The solution, as typed',
  sketch_geojson MEDIUMTEXT NULL COMMENT 'Its sketch on the map, when drawn: a canonical GeoJSON Point, MultiPoint, LineString or Polygon',
  status VARCHAR(24) NOT NULL COMMENT 'under_consideration (the start), accepted, in_work, implemented, declined',
  status_reason VARCHAR(2000) NOT NULL DEFAULT '' COMMENT 'The owner''s public reason for the status; empty before the first answer',
  answered_by BIGINT UNSIGNED NULL COMMENT 'Who gave the last answer',
  answered_at DATETIME NULL COMMENT 'When the last answer was given (UTC)',
  support_count INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'How many people support it (moved with the supports rows)',
  comment_count INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'How many comments it has',
  created_at DATETIME NOT NULL COMMENT 'When it was proposed (UTC)',
  updated_at DATETIME NOT NULL COMMENT 'When it last changed (UTC)',
  CONSTRAINT fk_solutions_challenge FOREIGN KEY (challenge_id) REFERENCES challenges (id),
  CONSTRAINT fk_solutions_author FOREIGN KEY (author_id) REFERENCES users (id),
  CONSTRAINT fk_solutions_answered_by FOREIGN KEY (answered_by) REFERENCES users (id),
  CONSTRAINT ck_solutions_status CHECK (status IN ('under_consideration', 'accepted', 'in_work', 'implemented', 'declined')),
  CONSTRAINT ck_solutions_answer CHECK ((answered_by IS NULL) = (answered_at IS NULL)),
  INDEX ix_solutions_supported (challenge_id, support_count, id),
  INDEX ix_solutions_recent (challenge_id, created_at, id),
  INDEX ix_solutions_author (author_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Citizens'' solutions to challenges, with their sketch and the owner''s answer';
