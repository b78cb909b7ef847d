ALTER TABLE problems
  DROP INDEX ux_problems_author_client,
  DROP COLUMN client_id;
