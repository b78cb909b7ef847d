DROP TABLE subject_links;
