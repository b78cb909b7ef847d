-- Sign-in throttling per (e-mail, address) with growing delays replaces the log of every
-- attempt: the per-account count let anyone lock any account for 15 minutes, and the
-- check-then-record sequence let parallel requests pass the limit. One row per pair is
-- locked while an attempt is admitted, so the count is exact under any concurrency.
CREATE TABLE login_throttles (
  email VARCHAR(254) NOT NULL COMMENT 'The e-mail that was tried, lower-cased (an account or not)',
  ip VARCHAR(45) NOT NULL COMMENT 'Client address (IPv4 or IPv6 text) behind the trusted proxies',
  failures INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'Attempts since the last success or quiet window; an attempt in progress counts',
  blocked_until DATETIME NULL COMMENT 'No attempt from this pair is admitted before (UTC)',
  last_attempt_at DATETIME NOT NULL COMMENT 'When the last attempt was admitted (UTC)',
  PRIMARY KEY (email, ip),
  INDEX ix_login_throttles_ip (ip, last_attempt_at),
  INDEX ix_login_throttles_last (last_attempt_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Sign-in delays per e-mail and client address; idle rows are purged after a day';

DROP TABLE login_attempts;

CREATE TABLE rate_limits (
  action VARCHAR(40) NOT NULL COMMENT 'The kind of write counted, e.g. problem.report',
  subject VARCHAR(100) NOT NULL COMMENT 'Who wrote: user:<id>, ip:<address> or key:<API key prefix>',
  window_start DATETIME NOT NULL COMMENT 'Start of the window being counted (UTC)',
  hits INT UNSIGNED NOT NULL COMMENT 'Writes in that window, refused ones included',
  PRIMARY KEY (action, subject),
  INDEX ix_rate_limits_window (window_start)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Write counts per action, subject and window, shared by every server instance';
