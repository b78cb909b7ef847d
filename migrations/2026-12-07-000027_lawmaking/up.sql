-- Law-making, first part: initiatives (regional or of one municipality) with their
-- public history, from moderation through the concept's supports to the idea discussion,
-- whose comments take a position. The draft's versions, amendments, expertise and the
-- government's reaction add their own tables when those stages are built.

ALTER TABLE comments
  ADD COLUMN position VARCHAR(8) NULL
    COMMENT 'for, against or neutral where the discussion asks for a position; NULL elsewhere'
    AFTER body,
  ADD CONSTRAINT ck_comments_position
    CHECK (position IS NULL OR position IN ('for', 'against', 'neutral'));

CREATE TABLE initiatives (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key, also the public number',
  municipality_id BIGINT UNSIGNED NULL COMMENT 'The municipality whose regulation it would be; NULL for a regional one',
  author_id BIGINT UNSIGNED NOT NULL COMMENT 'Who proposed it',
  theme_id BIGINT UNSIGNED NOT NULL COMMENT 'Theme; with the level it routes the initiative to a responsible body',
  department_id BIGINT UNSIGNED NULL COMMENT 'The responsible body; NULL until routed',
  title VARCHAR(200) NOT NULL COMMENT 'Short title',
  problem TEXT NOT NULL COMMENT 'The problem it addresses (at most 4000 characters)',
  goal TEXT NOT NULL COMMENT 'What it should achieve (at most 4000 characters)',
  proposal TEXT NOT NULL COMMENT 'The proposed regulation in a few paragraphs (at most 8000 characters)',
  stage VARCHAR(16) NOT NULL COMMENT 'moderation, refused, concept, discussion, drafting, expertise, reaction, adopted, rejected, withdrawn or archived',
  stage_started_at DATETIME NOT NULL COMMENT 'When the current stage began (UTC)',
  stage_ends_at DATETIME NULL COMMENT 'The published end of the current stage: a concept''s support window, a discussion''s close (UTC)',
  support_threshold INT UNSIGNED NOT NULL COMMENT 'Supports the concept needs, fixed when it was proposed',
  support_count INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'Rows in supports for it, kept in the same transaction',
  comment_count INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'Comments on it, kept in the same transaction',
  created_at DATETIME NOT NULL COMMENT 'When it was proposed (UTC)',
  updated_at DATETIME NOT NULL COMMENT 'Last change (UTC)',
  CONSTRAINT fk_initiatives_municipality FOREIGN KEY (municipality_id) REFERENCES municipalities (id),
  CONSTRAINT fk_initiatives_author FOREIGN KEY (author_id) REFERENCES users (id),
  CONSTRAINT fk_initiatives_theme FOREIGN KEY (theme_id) REFERENCES themes (id),
  CONSTRAINT fk_initiatives_department FOREIGN KEY (department_id) REFERENCES departments (id),
  CONSTRAINT ck_initiatives_stage CHECK (stage IN ('moderation', 'refused', 'concept', 'discussion',
    'drafting', 'expertise', 'reaction', 'adopted', 'rejected', 'withdrawn', 'archived')),
  INDEX ix_initiatives_stage_end (stage, stage_ends_at),
  INDEX ix_initiatives_municipality (municipality_id, stage, id),
  INDEX ix_initiatives_author (author_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Law-making initiatives: regional or municipal regulations proposed by citizens or officials';

CREATE TABLE initiative_events (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key, also the order of the history',
  initiative_id BIGINT UNSIGNED NOT NULL COMMENT 'The initiative',
  kind VARCHAR(24) NOT NULL COMMENT 'What happened: app::lawmaking::model::EventKind',
  stage VARCHAR(16) NOT NULL COMMENT 'The stage after it',
  actor_id BIGINT UNSIGNED NULL COMMENT 'Who did it; NULL for the scheduler',
  body TEXT NULL COMMENT 'The reason or note given with it',
  created_at DATETIME NOT NULL COMMENT 'When (UTC)',
  CONSTRAINT fk_initiative_events_initiative FOREIGN KEY (initiative_id) REFERENCES initiatives (id) ON DELETE CASCADE,
  CONSTRAINT fk_initiative_events_actor FOREIGN KEY (actor_id) REFERENCES users (id) ON DELETE SET NULL,
  INDEX ix_initiative_events_initiative (initiative_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='The public history of every initiative: each stage change, who made it and why';
