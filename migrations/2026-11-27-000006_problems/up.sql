-- Citizens' control: problems, their public timeline, supports, comments, subscriptions,
-- photos, in-app notifications, Open311 API keys, and the leases that let exactly one
-- server instance run a scheduled job.

ALTER TABLE departments
  ADD COLUMN supervisor_id BIGINT UNSIGNED NULL
    COMMENT 'The regional department that receives escalations of this department''s overdue problems; NULL for none',
  ADD CONSTRAINT fk_departments_supervisor FOREIGN KEY (supervisor_id) REFERENCES departments (id);

UPDATE departments d
  JOIN departments control ON control.slug = 'governor-control'
   SET d.supervisor_id = control.id
 WHERE d.id <> control.id;

CREATE TABLE problems (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key; the public number and the Open311 service_request_id',
  author_id BIGINT UNSIGNED NOT NULL COMMENT 'The citizen who reported it',
  theme_id BIGINT UNSIGNED NOT NULL COMMENT 'Theme (category); the Open311 service',
  municipality_id BIGINT UNSIGNED NOT NULL COMMENT 'Municipality of the point',
  department_id BIGINT UNSIGNED NULL COMMENT 'Responsible department; NULL while in moderation or waiting for a moderator to route it',
  status VARCHAR(16) NOT NULL COMMENT 'moderation, published, in_progress, answered, planned, resolved, closed, rejected or duplicate',
  title VARCHAR(200) NOT NULL COMMENT 'Short title written by the author',
  description TEXT NOT NULL COMMENT 'Description written by the author (at most 4000 characters)',
  address VARCHAR(300) NOT NULL COMMENT 'Address text, editable by the author',
  lat DOUBLE NOT NULL COMMENT 'Latitude of the point, WGS84 decimal degrees',
  lon DOUBLE NOT NULL COMMENT 'Longitude of the point, WGS84 decimal degrees',
  source VARCHAR(16) NOT NULL DEFAULT 'web' COMMENT 'Where it was reported: web or open311',
  created_at DATETIME NOT NULL COMMENT 'When it was reported (UTC)',
  updated_at DATETIME NOT NULL COMMENT 'Last change of status, routing or content (UTC)',
  published_at DATETIME NULL COMMENT 'When it was (last) published (UTC)',
  reaction_due_at DATETIME NULL COMMENT 'When an official reaction (or a planned result) is due (UTC); NULL when none is due',
  first_reaction_at DATETIME NULL COMMENT 'The first official reaction after the latest publication or reopening (UTC)',
  planned_for DATE NULL COMMENT 'The date the department promised a result by, while planned',
  resolved_at DATETIME NULL COMMENT 'When the department reported it resolved (UTC); the author may confirm or reopen for 14 days',
  closed_at DATETIME NULL COMMENT 'When it was closed (UTC)',
  reminded_at DATETIME NULL COMMENT 'When the department was reminded of the coming deadline (UTC); cleared when a new deadline starts',
  overdue_since DATETIME NULL COMMENT 'When the deadline passed without a reaction (UTC); cleared by a reaction',
  escalated_to BIGINT UNSIGNED NULL COMMENT 'The supervising department the overdue problem was escalated to',
  rejection_reason VARCHAR(1000) NULL COMMENT 'Why a moderator rejected it; shown to the author',
  duplicate_of BIGINT UNSIGNED NULL COMMENT 'The original problem this one was merged into',
  support_count INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'Number of rows in problem_supports, kept in the same transaction',
  comment_count INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'Number of rows in problem_comments, kept in the same transaction',
  CONSTRAINT fk_problems_author FOREIGN KEY (author_id) REFERENCES users (id),
  CONSTRAINT fk_problems_theme FOREIGN KEY (theme_id) REFERENCES themes (id),
  CONSTRAINT fk_problems_municipality FOREIGN KEY (municipality_id) REFERENCES municipalities (id),
  CONSTRAINT fk_problems_department FOREIGN KEY (department_id) REFERENCES departments (id),
  CONSTRAINT fk_problems_escalated_to FOREIGN KEY (escalated_to) REFERENCES departments (id),
  CONSTRAINT fk_problems_duplicate_of FOREIGN KEY (duplicate_of) REFERENCES problems (id),
  CONSTRAINT ck_problems_status CHECK (status IN
    ('moderation', 'published', 'in_progress', 'answered', 'planned', 'resolved', 'closed', 'rejected', 'duplicate')),
  CONSTRAINT ck_problems_source CHECK (source IN ('web', 'open311')),
  CONSTRAINT ck_problems_lat CHECK (lat BETWEEN -90 AND 90),
  CONSTRAINT ck_problems_lon CHECK (lon BETWEEN -180 AND 180),
  CONSTRAINT ck_problems_duplicate CHECK ((status = 'duplicate') = (duplicate_of IS NOT NULL)),
  -- Lists scan one of these in order and stop after a page, whatever the filters.
  INDEX ix_problems_published (published_at),
  INDEX ix_problems_status (status, published_at),
  INDEX ix_problems_municipality (municipality_id, published_at),
  INDEX ix_problems_theme (theme_id, published_at),
  INDEX ix_problems_support (support_count),
  -- The department workspace and the scheduler read problems by deadline.
  INDEX ix_problems_department_due (department_id, reaction_due_at),
  INDEX ix_problems_due (reaction_due_at),
  -- The map's viewport query is answered from this index alone.
  INDEX ix_problems_point (lat, lon, status),
  INDEX ix_problems_author (author_id, created_at),
  -- Open311 date windows filter on the creation time.
  INDEX ix_problems_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Problems citizens pin on the map for a department to react to';

CREATE TABLE problem_events (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key',
  problem_id BIGINT UNSIGNED NOT NULL COMMENT 'The problem',
  kind VARCHAR(24) NOT NULL COMMENT 'submitted, published, rejected, routed, reassigned, handed_back, acknowledged, answered, planned, resolved, confirmed, reopened, merged, escalated, overdue, plan_lapsed, closed, edited',
  actor_id BIGINT UNSIGNED NULL COMMENT 'Who did it; NULL for the scheduler',
  department_id BIGINT UNSIGNED NULL COMMENT 'The department concerned (the one acting, or the new one when routed)',
  body TEXT NULL COMMENT 'Text of an answer, plan reason, resolution report, rejection reason or reopening reason',
  planned_for DATE NULL COMMENT 'For plans: the promised date',
  created_at DATETIME NOT NULL COMMENT 'When (UTC)',
  CONSTRAINT fk_problem_events_problem FOREIGN KEY (problem_id) REFERENCES problems (id) ON DELETE CASCADE,
  CONSTRAINT fk_problem_events_actor FOREIGN KEY (actor_id) REFERENCES users (id) ON DELETE SET NULL,
  CONSTRAINT fk_problem_events_department FOREIGN KEY (department_id) REFERENCES departments (id),
  INDEX ix_problem_events_problem (problem_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='The public timeline of every problem';

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

CREATE TABLE notifications (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key',
  user_id BIGINT UNSIGNED NOT NULL COMMENT 'The recipient',
  kind VARCHAR(24) NOT NULL COMMENT 'The problem event kind, or reminder / escalation for departments',
  problem_id BIGINT UNSIGNED NULL COMMENT 'The problem it is about',
  created_at DATETIME NOT NULL COMMENT 'When (UTC)',
  read_at DATETIME NULL COMMENT 'When the recipient read it (UTC); NULL while unread',
  CONSTRAINT fk_notifications_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT fk_notifications_problem FOREIGN KEY (problem_id) REFERENCES problems (id) ON DELETE CASCADE,
  INDEX ix_notifications_user (user_id, read_at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='In-app notifications (the bell)';

CREATE TABLE api_keys (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key',
  user_id BIGINT UNSIGNED NOT NULL COMMENT 'The user requests made with this key are reported as',
  key_hash CHAR(64) NOT NULL COMMENT 'SHA-256 (hex) of the key; the key itself is shown once and never stored',
  created_at DATETIME NOT NULL COMMENT 'When it was issued (UTC)',
  CONSTRAINT uq_api_keys_hash UNIQUE (key_hash),
  CONSTRAINT fk_api_keys_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  INDEX ix_api_keys_user (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Open311 API keys issued to users';

CREATE TABLE job_leases (
  job VARCHAR(64) NOT NULL PRIMARY KEY COMMENT 'Name of the scheduled job',
  holder VARCHAR(64) NOT NULL COMMENT 'The instance that holds the lease',
  lease_until DATETIME NOT NULL COMMENT 'Until when the holder may run it (UTC)',
  last_finished_at DATETIME NULL COMMENT 'When a run last finished (UTC)'
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Leases that let exactly one server instance run each scheduled job';
