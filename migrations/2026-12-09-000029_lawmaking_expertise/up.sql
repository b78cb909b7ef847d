-- Law-making, expertise and the government's reaction: experts assigned to an initiative
-- (by a moderator, or volunteering and approved), their conclusions on the version under
-- expertise with remarks tied to articles, the editor's disposition of every remark, and
-- the responsible body's reaction on the shared reaction clock, ending in an act.

ALTER TABLE initiatives
  MODIFY COLUMN stage_ends_at DATETIME NULL
    COMMENT 'The published end of the current stage: a concept''s support window, a discussion''s close, the reaction''s deadline (UTC)',
  ADD COLUMN reaction_due_at DATETIME NULL
    COMMENT 'The reaction clock: when the responsible body must react (UTC); NULL before the reaction stage'
    AFTER stage_ends_at,
  ADD COLUMN reminded_at DATETIME NULL COMMENT 'The reaction clock: when the body was reminded of the deadline (UTC)' AFTER reaction_due_at,
  ADD COLUMN overdue_since DATETIME NULL COMMENT 'The reaction clock: when the deadline passed without a reaction (UTC)' AFTER reminded_at,
  ADD COLUMN escalated_to BIGINT UNSIGNED NULL COMMENT 'The reaction clock: the supervising body an overdue reaction went to' AFTER overdue_since,
  ADD COLUMN act_number VARCHAR(64) NULL COMMENT 'The adopted act''s number' AFTER escalated_to,
  ADD COLUMN act_date DATE NULL COMMENT 'The adopted act''s date' AFTER act_number,
  ADD COLUMN act_url VARCHAR(500) NULL COMMENT 'Where the adopted act is published (http or https)' AFTER act_date,
  ADD CONSTRAINT fk_initiatives_escalated_to FOREIGN KEY (escalated_to) REFERENCES departments (id),
  ADD INDEX ix_initiatives_reaction (stage, reaction_due_at);

CREATE TABLE initiative_experts (
  initiative_id BIGINT UNSIGNED NOT NULL COMMENT 'The initiative',
  expert_id BIGINT UNSIGNED NOT NULL COMMENT 'A user with the expert role',
  assigned_by BIGINT UNSIGNED NULL COMMENT 'The moderator who assigned or approved the expert; NULL while a volunteer waits',
  requested_at DATETIME NOT NULL COMMENT 'When the expert volunteered or was assigned (UTC)',
  assigned_at DATETIME NULL COMMENT 'When the assignment took effect (UTC); NULL while a volunteer waits',
  PRIMARY KEY (initiative_id, expert_id),
  CONSTRAINT fk_initiative_experts_initiative FOREIGN KEY (initiative_id) REFERENCES initiatives (id) ON DELETE CASCADE,
  CONSTRAINT fk_initiative_experts_expert FOREIGN KEY (expert_id) REFERENCES users (id),
  CONSTRAINT fk_initiative_experts_assigner FOREIGN KEY (assigned_by) REFERENCES users (id),
  INDEX ix_initiative_experts_expert (expert_id, initiative_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='The experts of an initiative: assigned by a moderator, or volunteers waiting for approval';

CREATE TABLE initiative_conclusions (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key',
  initiative_id BIGINT UNSIGNED NOT NULL COMMENT 'The initiative',
  version_id BIGINT UNSIGNED NOT NULL COMMENT 'The version under expertise',
  expert_id BIGINT UNSIGNED NOT NULL COMMENT 'The expert',
  verdict VARCHAR(24) NOT NULL COMMENT 'support, support_with_remarks or reject',
  body TEXT NOT NULL COMMENT 'The conclusion''s text, verbatim (at most 20000 characters)',
  created_at DATETIME NOT NULL COMMENT 'When it was published (UTC)',
  CONSTRAINT fk_initiative_conclusions_initiative FOREIGN KEY (initiative_id) REFERENCES initiatives (id) ON DELETE CASCADE,
  CONSTRAINT fk_initiative_conclusions_version FOREIGN KEY (version_id) REFERENCES initiative_versions (id),
  CONSTRAINT fk_initiative_conclusions_expert FOREIGN KEY (expert_id) REFERENCES users (id),
  CONSTRAINT ck_initiative_conclusions_verdict CHECK (verdict IN ('support', 'support_with_remarks', 'reject')),
  UNIQUE KEY uq_initiative_conclusions_expert (version_id, expert_id),
  INDEX ix_initiative_conclusions_initiative (initiative_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Experts'' published conclusions, one per expert and version';

CREATE TABLE initiative_remarks (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key, also the order in its conclusion',
  initiative_id BIGINT UNSIGNED NOT NULL COMMENT 'The initiative',
  conclusion_id BIGINT UNSIGNED NOT NULL COMMENT 'The conclusion it belongs to',
  article_label VARCHAR(24) NOT NULL COMMENT 'The article of the version under expertise it concerns',
  category VARCHAR(24) NOT NULL COMMENT 'corruption, higher_law, legal_technique, budget, regulatory or other',
  body TEXT NOT NULL COMMENT 'The remark, verbatim (at most 4000 characters)',
  status VARCHAR(16) NOT NULL DEFAULT 'open' COMMENT 'open, accepted, partly_accepted or rejected',
  reason TEXT NULL COMMENT 'The editor''s published reason for the disposition',
  decided_by BIGINT UNSIGNED NULL COMMENT 'The editor who decided',
  decided_at DATETIME NULL COMMENT 'When it was decided (UTC)',
  taken_in_version_id BIGINT UNSIGNED NULL COMMENT 'The version published after its acceptance, which took it in',
  CONSTRAINT fk_initiative_remarks_initiative FOREIGN KEY (initiative_id) REFERENCES initiatives (id) ON DELETE CASCADE,
  CONSTRAINT fk_initiative_remarks_conclusion FOREIGN KEY (conclusion_id) REFERENCES initiative_conclusions (id) ON DELETE CASCADE,
  CONSTRAINT fk_initiative_remarks_decider FOREIGN KEY (decided_by) REFERENCES users (id),
  CONSTRAINT fk_initiative_remarks_taken_in FOREIGN KEY (taken_in_version_id) REFERENCES initiative_versions (id),
  CONSTRAINT ck_initiative_remarks_category CHECK (category IN ('corruption', 'higher_law', 'legal_technique', 'budget', 'regulatory', 'other')),
  CONSTRAINT ck_initiative_remarks_status CHECK (status IN ('open', 'accepted', 'partly_accepted', 'rejected')),
  INDEX ix_initiative_remarks_initiative (initiative_id, status),
  INDEX ix_initiative_remarks_conclusion (conclusion_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Expert remarks, each tied to an article, with the editor''s disposition and reason';
