-- Civic building blocks: comments, supports, following and notifications that any subject
-- (a problem, a construction report, and the components to come) carries, instead of one
-- set of tables per feature. A subject is named by its kind ('problem',
-- 'construction_report', ...) and its id; a foreign key cannot span kinds, so the owning
-- feature removes its subjects' rows itself (none deletes subjects today).

CREATE TABLE supports (
  subject_kind VARCHAR(32) NOT NULL COMMENT 'Kind of the supported subject, e.g. problem',
  subject_id BIGINT UNSIGNED NOT NULL COMMENT 'Id of the supported subject',
  user_id BIGINT UNSIGNED NOT NULL COMMENT 'The supporter',
  created_at DATETIME NOT NULL COMMENT 'When (UTC)',
  PRIMARY KEY (subject_kind, subject_id, user_id),
  CONSTRAINT fk_supports_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  INDEX ix_supports_user (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='One support (vote) per person and subject';

CREATE TABLE follows (
  subject_kind VARCHAR(32) NOT NULL COMMENT 'Kind of the followed subject, e.g. problem',
  subject_id BIGINT UNSIGNED NOT NULL COMMENT 'Id of the followed subject',
  user_id BIGINT UNSIGNED NOT NULL COMMENT 'The follower, notified of every official step',
  created_at DATETIME NOT NULL COMMENT 'When (UTC)',
  PRIMARY KEY (subject_kind, subject_id, user_id),
  CONSTRAINT fk_follows_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  INDEX ix_follows_user (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Who follows a subject (an author follows their own from the start)';

CREATE TABLE comments (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key, also the order of a discussion',
  subject_kind VARCHAR(32) NOT NULL COMMENT 'Kind of the commented subject, e.g. problem',
  subject_id BIGINT UNSIGNED NOT NULL COMMENT 'Id of the commented subject',
  author_id BIGINT UNSIGNED NOT NULL COMMENT 'Who wrote it',
  body TEXT NOT NULL COMMENT 'The comment (at most 2000 characters)',
  created_at DATETIME NOT NULL COMMENT 'When (UTC)',
  report_count INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'Number of rows in comment_reports, kept in the same transaction',
  hidden_at DATETIME NULL COMMENT 'When a moderator hid it (UTC); NULL while shown',
  hidden_by BIGINT UNSIGNED NULL COMMENT 'The moderator who hid it',
  hidden_reason VARCHAR(500) NULL COMMENT 'Why it was hidden; shown in its place',
  CONSTRAINT fk_comments_author FOREIGN KEY (author_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT fk_comments_hidden_by FOREIGN KEY (hidden_by) REFERENCES users (id) ON DELETE SET NULL,
  CONSTRAINT ck_comments_hidden CHECK ((hidden_at IS NULL) = (hidden_reason IS NULL)),
  INDEX ix_comments_subject (subject_kind, subject_id, id),
  -- The moderators' queue: reported comments still shown, most reported first.
  INDEX ix_comments_reported (hidden_at, report_count),
  INDEX ix_comments_author (author_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Comments on any subject';

CREATE TABLE comment_reports (
  comment_id BIGINT UNSIGNED NOT NULL COMMENT 'The reported comment',
  reporter_id BIGINT UNSIGNED NOT NULL COMMENT 'Who reported it',
  reason VARCHAR(500) NOT NULL COMMENT 'Why, in the reporter''s words',
  created_at DATETIME NOT NULL COMMENT 'When (UTC)',
  PRIMARY KEY (comment_id, reporter_id),
  CONSTRAINT fk_comment_reports_comment FOREIGN KEY (comment_id) REFERENCES comments (id) ON DELETE CASCADE,
  CONSTRAINT fk_comment_reports_reporter FOREIGN KEY (reporter_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Users'' reports of comments to the moderators, one per person and comment';

INSERT INTO supports (subject_kind, subject_id, user_id, created_at)
  SELECT 'problem', problem_id, user_id, created_at FROM problem_supports;
INSERT INTO follows (subject_kind, subject_id, user_id, created_at)
  SELECT 'problem', problem_id, user_id, created_at FROM problem_subscriptions;
INSERT INTO comments (id, subject_kind, subject_id, author_id, body, created_at)
  SELECT id, 'problem', problem_id, author_id, body, created_at FROM problem_comments;

DROP TABLE problem_supports, problem_subscriptions, problem_comments;

ALTER TABLE problems
  MODIFY COLUMN support_count INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'Number of supports of the problem (rows of supports), kept in the same transaction',
  MODIFY COLUMN comment_count INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'Number of comments on the problem (rows of comments), kept in the same transaction';

ALTER TABLE notifications
  ADD COLUMN subject_kind VARCHAR(32) NOT NULL DEFAULT '' COMMENT 'Kind of the subject it is about, e.g. problem' AFTER kind,
  ADD COLUMN subject_id BIGINT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'Id of the subject it is about' AFTER subject_kind;

UPDATE notifications
   SET subject_kind = IF(problem_id IS NOT NULL, 'problem', 'construction_report'),
       subject_id = COALESCE(problem_id, construction_report_id);

ALTER TABLE notifications
  ALTER COLUMN subject_kind DROP DEFAULT,
  ALTER COLUMN subject_id DROP DEFAULT,
  MODIFY COLUMN kind VARCHAR(24) NOT NULL COMMENT 'What happened, in the subject''s own terms (a problem event kind, a report status, reminder, escalated)',
  DROP FOREIGN KEY fk_notifications_problem,
  DROP FOREIGN KEY fk_notifications_construction_report,
  DROP COLUMN problem_id,
  DROP COLUMN construction_report_id;
