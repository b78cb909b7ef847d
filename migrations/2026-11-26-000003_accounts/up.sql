CREATE TABLE users (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key',
  email VARCHAR(254) NOT NULL COMMENT 'Login e-mail, stored lower-cased',
  password_hash VARCHAR(255) NOT NULL COMMENT 'argon2id PHC string; never leaves the server',
  display_name VARCHAR(100) NOT NULL COMMENT 'Name shown to other users',
  home_municipality_id BIGINT UNSIGNED NOT NULL COMMENT 'Home municipality: where the user''s priority votes count',
  locale VARCHAR(8) NOT NULL DEFAULT 'ru' COMMENT 'Preferred interface language: ru or en',
  created_at DATETIME NOT NULL COMMENT 'Registration time (UTC)',
  password_changed_at DATETIME NOT NULL COMMENT 'Last password change (UTC)',
  CONSTRAINT uq_users_email UNIQUE (email),
  CONSTRAINT fk_users_home_municipality FOREIGN KEY (home_municipality_id) REFERENCES municipalities (id),
  CONSTRAINT ck_users_locale CHECK (locale IN ('ru', 'en'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Registered accounts';

CREATE TABLE user_roles (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key',
  user_id BIGINT UNSIGNED NOT NULL COMMENT 'The user who holds the role',
  role VARCHAR(16) NOT NULL COMMENT 'citizen, expert, official, moderator or admin',
  department_id BIGINT UNSIGNED NULL COMMENT 'For officials: the department they work for; NULL for other roles',
  granted_by BIGINT UNSIGNED NULL COMMENT 'The admin who granted the role; NULL when granted at registration or by seeding',
  granted_at DATETIME NOT NULL COMMENT 'When the role was granted (UTC)',
  department_key BIGINT UNSIGNED AS (IFNULL(department_id, 0)) STORED COMMENT 'department_id with 0 for roles without a department, for the unique key',
  CONSTRAINT uq_user_roles UNIQUE (user_id, role, department_key),
  CONSTRAINT fk_user_roles_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT fk_user_roles_department FOREIGN KEY (department_id) REFERENCES departments (id),
  CONSTRAINT fk_user_roles_granted_by FOREIGN KEY (granted_by) REFERENCES users (id) ON DELETE SET NULL,
  CONSTRAINT ck_user_roles_role CHECK (role IN ('citizen', 'expert', 'official', 'moderator', 'admin')),
  CONSTRAINT ck_user_roles_department CHECK ((role = 'official') = (department_id IS NOT NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Roles held by users; an official holds one row per department';

CREATE TABLE sessions (
  token_hash CHAR(64) NOT NULL PRIMARY KEY COMMENT 'SHA-256 (hex) of the session cookie value; the raw token is never stored',
  user_id BIGINT UNSIGNED NOT NULL COMMENT 'The signed-in user',
  created_at DATETIME NOT NULL COMMENT 'Sign-in time (UTC)',
  expires_at DATETIME NOT NULL COMMENT 'After this time the session is invalid (UTC)',
  CONSTRAINT fk_sessions_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  INDEX ix_sessions_user (user_id),
  INDEX ix_sessions_expires (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Signed-in sessions, shared by every server instance';

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
