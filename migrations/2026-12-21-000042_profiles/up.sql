-- Public profiles: what a person tells about themselves and which parts of their
-- activity anyone may see. A person without a row shows their name only.

CREATE TABLE profiles (
  user_id BIGINT UNSIGNED NOT NULL PRIMARY KEY COMMENT 'Whose profile',
  about VARCHAR(1000) NOT NULL DEFAULT '' COMMENT 'About me, as written (plain text)',
  show_municipality BOOL NOT NULL DEFAULT FALSE COMMENT 'Anyone may see my home municipality',
  show_problems BOOL NOT NULL DEFAULT FALSE COMMENT 'Anyone may see the problems I reported (those that passed moderation)',
  show_solutions BOOL NOT NULL DEFAULT FALSE COMMENT 'Anyone may see the solutions I proposed',
  show_initiatives BOOL NOT NULL DEFAULT FALSE COMMENT 'Anyone may see the initiatives I proposed (those that passed moderation)',
  show_comments BOOL NOT NULL DEFAULT FALSE COMMENT 'Anyone may see my comments (those not hidden, on public subjects)',
  updated_at DATETIME NOT NULL COMMENT 'Last change (UTC)',
  CONSTRAINT fk_profiles_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='What each person shows on their public profile; the avatar is their photo in section avatar';
