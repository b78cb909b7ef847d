ALTER TABLE photos DROP COLUMN caption;
DROP TABLE galleries;
