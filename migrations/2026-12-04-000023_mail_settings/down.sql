ALTER TABLE users
  DROP COLUMN mail_work_notices,
  DROP COLUMN mail_followed_notices;
