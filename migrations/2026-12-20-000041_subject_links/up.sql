-- Links between civic subjects of different features, kept both ways: a solution that
-- became a law-making initiative, a challenge that concerns problems of citizens'
-- control or an initiative. Each page reads the links whose either end it is.

CREATE TABLE subject_links (
  from_kind VARCHAR(32) NOT NULL COMMENT 'The kind of the subject the link starts from (challenge, solution, ...)',
  from_id BIGINT UNSIGNED NOT NULL COMMENT 'Its id among the subjects of its kind',
  to_kind VARCHAR(32) NOT NULL COMMENT 'The kind of the subject it points to (problem, initiative, ...)',
  to_id BIGINT UNSIGNED NOT NULL COMMENT 'Its id among the subjects of its kind',
  relation VARCHAR(32) NOT NULL COMMENT 'became: the first turned into the second; concerns: the first is about the second',
  created_by BIGINT UNSIGNED NOT NULL COMMENT 'Who linked them',
  created_at DATETIME NOT NULL COMMENT 'When they were linked (UTC)',
  PRIMARY KEY (from_kind, from_id, to_kind, to_id),
  CONSTRAINT fk_subject_links_created_by FOREIGN KEY (created_by) REFERENCES users (id),
  CONSTRAINT ck_subject_links_relation CHECK (relation IN ('became', 'concerns')),
  INDEX ix_subject_links_to (to_kind, to_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Links between subjects of different features, read from either end';
