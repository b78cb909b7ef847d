-- A department's document-flow system answers its problems and construction reports
-- through the answers API (/api/v1/department/...) with a bearer token. Only the token's
-- SHA-256 is kept. Each token acts as its own integration account: a user without a
-- password or role, so that every step it takes is recorded, shown and audited under the
-- system's name exactly as an official's would be under theirs.
CREATE TABLE department_tokens (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key',
  department_id BIGINT UNSIGNED NOT NULL COMMENT 'The department whose problems and reports the token acts on',
  account_id BIGINT UNSIGNED NOT NULL COMMENT 'The integration account its actions are recorded as',
  name VARCHAR(100) NOT NULL COMMENT 'The system it was issued to, as the admin named it',
  token_hash CHAR(64) NOT NULL COMMENT 'SHA-256 (hex) of the token; the token is shown once and never stored',
  issued_by BIGINT UNSIGNED NULL COMMENT 'The admin who issued it',
  issued_at DATETIME NOT NULL COMMENT 'When it was issued (UTC)',
  last_used_at DATETIME NULL COMMENT 'The last request made with it, to the minute (UTC)',
  revoked_at DATETIME NULL COMMENT 'When an admin revoked it (UTC); a revoked token is refused',
  UNIQUE KEY uq_department_tokens_hash (token_hash),
  KEY ix_department_tokens_department (department_id, issued_at),
  CONSTRAINT fk_department_tokens_department FOREIGN KEY (department_id) REFERENCES departments (id),
  CONSTRAINT fk_department_tokens_account FOREIGN KEY (account_id) REFERENCES users (id),
  CONSTRAINT fk_department_tokens_issuer FOREIGN KEY (issued_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Department systems'' bearer tokens for the answers API';
