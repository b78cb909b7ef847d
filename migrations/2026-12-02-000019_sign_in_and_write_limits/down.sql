DROP TABLE rate_limits;

CREATE TABLE login_attempts (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key',
  email VARCHAR(254) NOT NULL COMMENT 'The e-mail that was tried, lower-cased',
  ip VARCHAR(45) NOT NULL COMMENT 'Client IP address (IPv4 or IPv6 text)',
  succeeded BOOL NOT NULL COMMENT 'Whether the attempt signed in',
  attempted_at DATETIME NOT NULL COMMENT 'When (UTC)',
  INDEX ix_login_attempts_email (email, attempted_at),
  INDEX ix_login_attempts_ip (ip, attempted_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Sign-in attempts, for rate limiting per account and per IP';

DROP TABLE login_throttles;
