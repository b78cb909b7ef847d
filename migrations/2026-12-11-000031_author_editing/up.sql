-- Law-making: a moderator may let an initiative's author edit its text beside the
-- officials of the responsible body (publish versions, decide amendments and remarks).

ALTER TABLE initiatives
  ADD COLUMN author_edits BOOLEAN NOT NULL DEFAULT FALSE
    COMMENT 'Whether the author edits the text too (publishes versions, decides amendments and expert remarks); set by a moderator with a public reason'
    AFTER department_id;
