ALTER TABLE notifications
  ADD COLUMN problem_id BIGINT UNSIGNED NULL COMMENT 'The problem it is about' AFTER kind,
  ADD COLUMN construction_report_id BIGINT UNSIGNED NULL COMMENT 'The construction report it is about' AFTER problem_id;

UPDATE notifications
   SET problem_id = IF(subject_kind = 'problem', subject_id, NULL),
       construction_report_id = IF(subject_kind = 'construction_report', subject_id, NULL);

DELETE FROM notifications WHERE problem_id IS NULL AND construction_report_id IS NULL;

ALTER TABLE notifications
  MODIFY COLUMN kind VARCHAR(24) NOT NULL COMMENT 'The problem event kind, or reminder / escalation for departments',
  DROP COLUMN subject_kind,
  DROP COLUMN subject_id,
  ADD CONSTRAINT fk_notifications_problem FOREIGN KEY (problem_id) REFERENCES problems (id) ON DELETE CASCADE,
  ADD CONSTRAINT fk_notifications_construction_report FOREIGN KEY (construction_report_id) REFERENCES construction_reports (id) ON DELETE CASCADE;

CREATE TABLE problem_supports (
  problem_id BIGINT UNSIGNED NOT NULL COMMENT 'The supported problem',
  user_id BIGINT UNSIGNED NOT NULL COMMENT 'The supporter',
  created_at DATETIME NOT NULL COMMENT 'When (UTC)',
  PRIMARY KEY (problem_id, user_id),
  CONSTRAINT fk_problem_supports_problem FOREIGN KEY (problem_id) REFERENCES problems (id) ON DELETE CASCADE,
  CONSTRAINT fk_problem_supports_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  INDEX ix_problem_supports_user (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='One support (vote) per person and problem';

CREATE TABLE problem_comments (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key',
  problem_id BIGINT UNSIGNED NOT NULL COMMENT 'The problem',
  author_id BIGINT UNSIGNED NOT NULL COMMENT 'Who wrote it',
  body TEXT NOT NULL COMMENT 'The comment (at most 2000 characters)',
  created_at DATETIME NOT NULL COMMENT 'When (UTC)',
  CONSTRAINT fk_problem_comments_problem FOREIGN KEY (problem_id) REFERENCES problems (id) ON DELETE CASCADE,
  CONSTRAINT fk_problem_comments_author FOREIGN KEY (author_id) REFERENCES users (id) ON DELETE CASCADE,
  INDEX ix_problem_comments_problem (problem_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Citizens'' comments on problems';

CREATE TABLE problem_subscriptions (
  problem_id BIGINT UNSIGNED NOT NULL COMMENT 'The problem',
  user_id BIGINT UNSIGNED NOT NULL COMMENT 'The subscriber, notified of every official step',
  created_at DATETIME NOT NULL COMMENT 'When (UTC)',
  PRIMARY KEY (problem_id, user_id),
  CONSTRAINT fk_problem_subscriptions_problem FOREIGN KEY (problem_id) REFERENCES problems (id) ON DELETE CASCADE,
  CONSTRAINT fk_problem_subscriptions_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  INDEX ix_problem_subscriptions_user (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Who follows a problem (the author follows their own from the start)';

INSERT INTO problem_supports (problem_id, user_id, created_at)
  SELECT subject_id, user_id, created_at FROM supports WHERE subject_kind = 'problem';
INSERT INTO problem_subscriptions (problem_id, user_id, created_at)
  SELECT subject_id, user_id, created_at FROM follows WHERE subject_kind = 'problem';
INSERT INTO problem_comments (id, problem_id, author_id, body, created_at)
  SELECT id, subject_id, author_id, body, created_at FROM comments WHERE subject_kind = 'problem';

ALTER TABLE problems
  MODIFY COLUMN support_count INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'Number of rows in problem_supports, kept in the same transaction',
  MODIFY COLUMN comment_count INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'Number of rows in problem_comments, kept in the same transaction';

DROP TABLE comment_reports, comments, follows, supports;
