-- Blocks between people: the blocked person may not comment on the blocker's
-- publications, follow them or (once messages exist) write to them. Checked in both
-- directions where it matters, so neither side learns which one blocked.

CREATE TABLE blocks (
  blocker_id BIGINT UNSIGNED NOT NULL COMMENT 'Who blocked',
  blocked_id BIGINT UNSIGNED NOT NULL COMMENT 'Whom',
  created_at DATETIME NOT NULL COMMENT 'When (UTC)',
  PRIMARY KEY (blocker_id, blocked_id),
  CONSTRAINT fk_blocks_blocker FOREIGN KEY (blocker_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT fk_blocks_blocked FOREIGN KEY (blocked_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT ck_blocks_not_self CHECK (blocker_id <> blocked_id),
  INDEX ix_blocks_blocked (blocked_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Who blocked whom';
