-- The moderators' queue for what people report beyond comments: publications, profiles
-- and messages. Each report is one person's, once per subject; a moderator's decision
-- (hide, warn, suspend, dismiss) answers every open report of the subject at once, with
-- a reason the author is told.

CREATE TABLE moderation_decisions (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key; the notification of the author names it',
  subject_kind VARCHAR(32) NOT NULL COMMENT 'What was reported: publication, person or message',
  subject_id BIGINT UNSIGNED NOT NULL COMMENT 'Its id',
  author_id BIGINT UNSIGNED NOT NULL COMMENT 'Whose it is: the writer, or the person of a profile',
  decision VARCHAR(16) NOT NULL COMMENT 'hide, warn, suspend or dismiss',
  reason VARCHAR(500) NOT NULL COMMENT 'The reason, as the author reads it',
  suspended_until DATETIME NULL COMMENT 'For suspend: until when the author may not write (UTC)',
  decided_by BIGINT UNSIGNED NOT NULL COMMENT 'The moderator',
  decided_at DATETIME NOT NULL COMMENT 'When (UTC)',
  INDEX ix_moderation_decisions_subject (subject_kind, subject_id),
  CONSTRAINT fk_moderation_decisions_author FOREIGN KEY (author_id) REFERENCES users (id),
  CONSTRAINT fk_moderation_decisions_moderator FOREIGN KEY (decided_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Moderators'' decisions on reported publications, profiles and messages';

CREATE TABLE content_reports (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key',
  subject_kind VARCHAR(32) NOT NULL COMMENT 'What is reported: publication, person or message',
  subject_id BIGINT UNSIGNED NOT NULL COMMENT 'Its id',
  reporter_id BIGINT UNSIGNED NOT NULL COMMENT 'Who reported it',
  reason VARCHAR(500) NOT NULL COMMENT 'Why, in the reporter''s words',
  created_at DATETIME NOT NULL COMMENT 'When (UTC)',
  decision_id BIGINT UNSIGNED NULL COMMENT 'The decision that answered it; NULL while it waits in the queue',
  UNIQUE KEY uq_content_reports_once (subject_kind, subject_id, reporter_id),
  INDEX ix_content_reports_open (decision_id, id),
  CONSTRAINT fk_content_reports_reporter FOREIGN KEY (reporter_id) REFERENCES users (id),
  CONSTRAINT fk_content_reports_decision FOREIGN KEY (decision_id) REFERENCES moderation_decisions (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Reports of publications, profiles and messages to the moderators';

ALTER TABLE publications
  ADD COLUMN hidden_at DATETIME NULL COMMENT 'When a moderator hid it (UTC); hidden publications leave every feed',
  ADD COLUMN hidden_reason VARCHAR(500) NULL COMMENT 'Why, as its author reads it';

ALTER TABLE users
  ADD COLUMN suspended_until DATETIME NULL COMMENT 'Until when a moderator suspended the person''s writing (UTC); NULL: never or over';
