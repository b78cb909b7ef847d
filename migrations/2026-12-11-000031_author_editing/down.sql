ALTER TABLE initiatives DROP COLUMN author_edits;
