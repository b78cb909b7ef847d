-- Comment threads and supports on comments: a reply answers one comment of the same
-- subject (one level deep: a reply to a reply joins the same thread, which keeps a
-- discussion readable on a phone), and each comment collects supports, so that a
-- discussion's summary can name its most supported comment for and against.

ALTER TABLE comments
  ADD COLUMN reply_to BIGINT UNSIGNED NULL
    COMMENT 'The comment that opens the thread this one answers; NULL for a comment that opens one'
    AFTER subject_id,
  ADD COLUMN support_count INT UNSIGNED NOT NULL DEFAULT 0
    COMMENT 'Rows in supports for it (subject kind comment), kept in the same transaction'
    AFTER position,
  ADD CONSTRAINT fk_comments_reply_to FOREIGN KEY (reply_to) REFERENCES comments (id) ON DELETE CASCADE,
  -- A page of threads (the comments that open one, by id) and the replies of a page.
  ADD INDEX ix_comments_threads (subject_kind, subject_id, reply_to, id),
  ADD INDEX ix_comments_replies (reply_to, id),
  -- The summary of positions: counts of shown comments per position and the most
  -- supported one of each, read from the index alone.
  ADD INDEX ix_comments_positions (subject_kind, subject_id, position, hidden_at, support_count);
