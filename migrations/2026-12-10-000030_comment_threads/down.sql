ALTER TABLE comments
  DROP INDEX ix_comments_positions,
  DROP FOREIGN KEY fk_comments_reply_to,
  DROP INDEX ix_comments_replies,
  DROP INDEX ix_comments_threads,
  DROP COLUMN support_count,
  DROP COLUMN reply_to;
DELETE FROM supports WHERE subject_kind = 'comment';
