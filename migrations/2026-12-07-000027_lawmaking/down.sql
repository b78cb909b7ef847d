DELETE FROM notifications WHERE subject_kind = 'initiative';
DELETE FROM follows WHERE subject_kind = 'initiative';
DELETE FROM supports WHERE subject_kind = 'initiative';
DELETE FROM comments WHERE subject_kind = 'initiative';
DROP TABLE initiative_events;
DROP TABLE initiatives;
ALTER TABLE comments DROP CONSTRAINT ck_comments_position;
ALTER TABLE comments DROP COLUMN position;
