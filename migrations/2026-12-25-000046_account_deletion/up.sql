-- Deleted accounts: the row stays, so that the person's public contributions (problems,
-- comments, publications, votes) keep their author and their threads, but it holds no
-- personal data any more: the name becomes "Удалённый пользователь", the e-mail a
-- placeholder, the password nothing that can sign in.

ALTER TABLE users
  ADD COLUMN deleted_at DATETIME NULL COMMENT 'When the person deleted their account (UTC); NULL while it is in use';
