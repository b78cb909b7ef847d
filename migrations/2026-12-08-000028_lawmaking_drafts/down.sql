DELETE FROM supports WHERE subject_kind = 'initiative_amendment';
DROP TABLE initiative_amendments;
DROP TABLE initiative_articles;
DROP TABLE initiative_versions;
