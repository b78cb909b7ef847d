-- A registration becomes an account only when the link mailed to its address is opened,
-- so the form's answer never tells whether an address already has an account. A newer
-- request for the same address replaces the older one: only the mailbox's owner can
-- confirm either, so nobody can hold an address they do not read.
CREATE TABLE registration_requests (
  email VARCHAR(254) NOT NULL PRIMARY KEY COMMENT 'The address to confirm, lower-cased',
  token_hash CHAR(64) NOT NULL COMMENT 'SHA-256 (hex) of the token in the mailed link; the raw token is never stored here',
  password_hash VARCHAR(255) NOT NULL COMMENT 'argon2id PHC string of the chosen password',
  display_name VARCHAR(100) NOT NULL COMMENT 'The name the account will show',
  home_municipality_id BIGINT UNSIGNED NOT NULL COMMENT 'The home municipality chosen',
  locale VARCHAR(8) NOT NULL COMMENT 'Interface language at registration: ru or en',
  created_at DATETIME NOT NULL COMMENT 'When it was asked for (UTC)',
  expires_at DATETIME NOT NULL COMMENT 'The link is refused after this time (UTC)',
  CONSTRAINT uq_registration_requests_token UNIQUE (token_hash),
  CONSTRAINT fk_registration_requests_municipality FOREIGN KEY (home_municipality_id) REFERENCES municipalities (id),
  CONSTRAINT ck_registration_requests_locale CHECK (locale IN ('ru', 'en')),
  INDEX ix_registration_requests_expires (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Registrations waiting for their e-mail address to be confirmed';
