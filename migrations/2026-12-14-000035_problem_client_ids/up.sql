-- A report sent from a phone without network waits on the device and is sent when the
-- network returns, perhaps more than once (a lost answer, a second tab). The device names
-- each report with its own id; the server keeps it, so a repeated submission finds the
-- report already made instead of making a second one.
ALTER TABLE problems
  ADD COLUMN client_id VARCHAR(64) NULL COMMENT 'The id the reporting device gave the report; a repeated submission with it is the same report' AFTER source,
  ADD UNIQUE INDEX ux_problems_author_client (author_id, client_id);
