-- Law-making, drafting: the published versions of an initiative's text, split into
-- numbered articles, and citizens' amendments to one article with the editor's
-- disposition. Versions never change once published; an amendment records the version
-- it amends and the version that took it in.

CREATE TABLE initiative_versions (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key',
  initiative_id BIGINT UNSIGNED NOT NULL COMMENT 'The initiative',
  number INT UNSIGNED NOT NULL COMMENT '1, 2, 3, ... per initiative; the unique key lets only one of two editors publish a number',
  editor_id BIGINT UNSIGNED NOT NULL COMMENT 'Who published it',
  note TEXT NULL COMMENT 'What changed, from the editor',
  article_count INT UNSIGNED NOT NULL COMMENT 'Articles in it',
  created_at DATETIME NOT NULL COMMENT 'When it was published (UTC)',
  CONSTRAINT fk_initiative_versions_initiative FOREIGN KEY (initiative_id) REFERENCES initiatives (id) ON DELETE CASCADE,
  CONSTRAINT fk_initiative_versions_editor FOREIGN KEY (editor_id) REFERENCES users (id),
  UNIQUE KEY uq_initiative_versions_number (initiative_id, number)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Published versions of initiatives'' texts; never changed once written';

CREATE TABLE initiative_articles (
  version_id BIGINT UNSIGNED NOT NULL COMMENT 'The version',
  position INT UNSIGNED NOT NULL COMMENT 'Order in the version, from 1',
  label VARCHAR(24) NOT NULL COMMENT 'The article''s number, unique in the version; 0 for the preamble',
  heading VARCHAR(64) NOT NULL COMMENT 'The number as written (Статья 3., 2.1)); empty for unnumbered paragraphs',
  body MEDIUMTEXT NOT NULL COMMENT 'The text after the number, verbatim',
  PRIMARY KEY (version_id, position),
  UNIQUE KEY uq_initiative_articles_label (version_id, label),
  CONSTRAINT fk_initiative_articles_version FOREIGN KEY (version_id) REFERENCES initiative_versions (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='The articles of each published version';

CREATE TABLE initiative_amendments (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key, also the public number',
  initiative_id BIGINT UNSIGNED NOT NULL COMMENT 'The initiative',
  version_id BIGINT UNSIGNED NOT NULL COMMENT 'The version whose article it amends',
  article_label VARCHAR(24) NOT NULL COMMENT 'The article it amends',
  body MEDIUMTEXT NOT NULL COMMENT 'The proposed text of the whole article',
  justification TEXT NOT NULL COMMENT 'Why',
  author_id BIGINT UNSIGNED NOT NULL COMMENT 'Who proposed it',
  anonymous BOOLEAN NOT NULL DEFAULT FALSE COMMENT 'Whether the public pages and open data leave the author''s name out',
  status VARCHAR(16) NOT NULL DEFAULT 'open' COMMENT 'open, accepted, partly_accepted, rejected or outdated',
  reason TEXT NULL COMMENT 'The editor''s published reason',
  decided_by BIGINT UNSIGNED NULL COMMENT 'The editor who decided',
  decided_at DATETIME NULL COMMENT 'When it was decided, or found outdated (UTC)',
  taken_in_version_id BIGINT UNSIGNED NULL COMMENT 'The version published after its acceptance, which took it in',
  support_count INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'Rows in supports for it, kept in the same transaction',
  created_at DATETIME NOT NULL COMMENT 'When it was proposed (UTC)',
  CONSTRAINT fk_initiative_amendments_initiative FOREIGN KEY (initiative_id) REFERENCES initiatives (id) ON DELETE CASCADE,
  CONSTRAINT fk_initiative_amendments_version FOREIGN KEY (version_id) REFERENCES initiative_versions (id),
  CONSTRAINT fk_initiative_amendments_author FOREIGN KEY (author_id) REFERENCES users (id),
  CONSTRAINT fk_initiative_amendments_decider FOREIGN KEY (decided_by) REFERENCES users (id),
  CONSTRAINT fk_initiative_amendments_taken_in FOREIGN KEY (taken_in_version_id) REFERENCES initiative_versions (id),
  CONSTRAINT ck_initiative_amendments_status CHECK (status IN ('open', 'accepted', 'partly_accepted', 'rejected', 'outdated')),
  INDEX ix_initiative_amendments_initiative (initiative_id, id),
  INDEX ix_initiative_amendments_article (version_id, article_label, status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Citizens'' amendments to one article of a draft, with the editor''s disposition';
