-- Galleries: a person's albums of photos with captions, shown to everyone or only to the
-- people who follow them, and to whoever holds the album's share link. The photos are
-- civic photos of the subject kind "gallery"; a caption belongs to the photo, so any
-- subject's photos may carry one.

CREATE TABLE galleries (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key',
  owner_id BIGINT UNSIGNED NOT NULL COMMENT 'Whose album it is',
  title VARCHAR(120) NOT NULL COMMENT 'Its title, as typed',
  description TEXT NOT NULL COMMENT 'What it is about, as typed; may be empty',
  audience VARCHAR(16) NOT NULL COMMENT 'Who sees it: public (everyone) or followers (the owner''s followers)',
  share_key CHAR(32) NOT NULL COMMENT 'Random key of the share link: whoever holds it sees the album; the owner may replace it',
  photo_count INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'Its photos, counted in the transaction that adds or removes one',
  created_at DATETIME NOT NULL COMMENT 'When it was made (UTC)',
  updated_at DATETIME NOT NULL COMMENT 'When it last changed (UTC)',
  hidden_at DATETIME NULL COMMENT 'When a moderator hid it (UTC); a hidden album is its owner''s alone',
  hidden_reason VARCHAR(500) NULL COMMENT 'Why, as its owner reads it',
  UNIQUE KEY uq_galleries_share_key (share_key),
  INDEX ix_galleries_owner (owner_id, id),
  CONSTRAINT fk_galleries_owner FOREIGN KEY (owner_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='People''s photo albums';

ALTER TABLE photos
  ADD COLUMN caption VARCHAR(300) NOT NULL DEFAULT '' COMMENT 'What the photo shows, in its uploader''s words; empty: no caption';
