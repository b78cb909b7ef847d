-- Moderators hide a reported challenge or solution as they hide a publication: it leaves
-- every list and page but its author's (and the moderators'), with the reason.

ALTER TABLE challenges
  ADD COLUMN hidden_at DATETIME NULL COMMENT 'When a moderator hid it (UTC); hidden challenges leave every list',
  ADD COLUMN hidden_reason VARCHAR(500) NULL COMMENT 'Why, as its author reads it';

ALTER TABLE solutions
  ADD COLUMN hidden_at DATETIME NULL COMMENT 'When a moderator hid it (UTC); hidden solutions leave every list',
  ADD COLUMN hidden_reason VARCHAR(500) NULL COMMENT 'Why, as its author reads it';
