ALTER TABLE publications
  ADD INDEX ix_publications_author (author_id, id),
  DROP INDEX ix_publications_feed;
