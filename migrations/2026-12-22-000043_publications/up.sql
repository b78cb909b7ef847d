-- Publications: what people write for those who follow them, and departments' official
-- news written by their officials. Likes are civic supports, comments civic comments and
-- photos civic photos of the subject kind "publication".

CREATE TABLE publications (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key, also the order of every feed',
  author_id BIGINT UNSIGNED NOT NULL COMMENT 'Who wrote it',
  department_id BIGINT UNSIGNED NULL COMMENT 'The department whose official news it is; NULL for a person''s own',
  body TEXT NOT NULL COMMENT 'The text as typed: plain text, links recognised when shown',
  like_count INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'Likes, counted in the transaction that writes the like row',
  comment_count INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'Comments, counted in the transaction that writes the comment',
  created_at DATETIME NOT NULL COMMENT 'When it was published (UTC)',
  CONSTRAINT fk_publications_author FOREIGN KEY (author_id) REFERENCES users (id),
  CONSTRAINT fk_publications_department FOREIGN KEY (department_id) REFERENCES departments (id),
  INDEX ix_publications_author (author_id, id),
  INDEX ix_publications_department (department_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Publications of people and official news of departments';
