CREATE TABLE audit_log (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key, also the order of events',
  actor_user_id BIGINT UNSIGNED NULL COMMENT 'Who acted; NULL for the system',
  action VARCHAR(64) NOT NULL COMMENT 'Stable action name, e.g. role.grant',
  target_kind VARCHAR(32) NOT NULL COMMENT 'Kind of the object acted on, e.g. user, department',
  target_id BIGINT UNSIGNED NULL COMMENT 'Id of the object acted on',
  details TEXT NOT NULL COMMENT 'JSON object with the particulars of the action',
  created_at DATETIME NOT NULL COMMENT 'When (UTC)',
  CONSTRAINT fk_audit_log_actor FOREIGN KEY (actor_user_id) REFERENCES users (id) ON DELETE SET NULL,
  INDEX ix_audit_log_target (target_kind, target_id),
  INDEX ix_audit_log_actor (actor_user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Append-only record of every staff action';
