-- Notification settings per kind: for each kind of subject one follows (problems,
-- initiatives, publications, ...) a person may turn the bell off, or choose e-mail apart
-- from their general e-mail setting. No row: the bell rings and e-mail follows
-- users.mail_followed_notices. A moderator's decision and officials' work are not
-- subjects one can mute.

CREATE TABLE notification_preferences (
  user_id BIGINT UNSIGNED NOT NULL COMMENT 'Whose setting',
  topic VARCHAR(32) NOT NULL COMMENT 'The subject kind it is about, e.g. problem, publication',
  bell BOOLEAN NOT NULL COMMENT 'Whether notifications of this kind reach the bell',
  mail BOOLEAN NOT NULL COMMENT 'Whether they are also mailed',
  PRIMARY KEY (user_id, topic),
  CONSTRAINT fk_notification_preferences_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Per-kind choices of where notifications go; absent: the defaults';
