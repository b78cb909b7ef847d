-- Running counts of each quarter's votes, kept in the transaction of every vote and
-- withdrawal. The open quarter's provisional standings read these few thousand rows
-- instead of counting millions of votes on every page view; the quarterly snapshot still
-- counts the votes themselves, and the tests hold the two to the same numbers.

CREATE TABLE priority_vote_tallies (
  quarter DATE NOT NULL COMMENT 'The quarter (its first day)',
  municipality_id BIGINT UNSIGNED NOT NULL COMMENT 'Where the votes count: the voters'' home when voting',
  priority_id BIGINT UNSIGNED NOT NULL COMMENT 'The priority',
  votes INT UNSIGNED NOT NULL COMMENT 'Votes for it from there so far (0 after every one was withdrawn)',
  PRIMARY KEY (quarter, municipality_id, priority_id),
  -- A priority's page: where its votes of a quarter come from.
  INDEX ix_priority_vote_tallies_priority (priority_id, quarter),
  CONSTRAINT fk_priority_vote_tallies_municipality FOREIGN KEY (municipality_id) REFERENCES municipalities (id),
  CONSTRAINT fk_priority_vote_tallies_priority FOREIGN KEY (priority_id) REFERENCES priorities (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Votes by quarter, municipality and priority, kept with every vote and withdrawal';

CREATE TABLE priority_voter_tallies (
  quarter DATE NOT NULL COMMENT 'The quarter (its first day)',
  scope_id BIGINT UNSIGNED NOT NULL COMMENT 'The municipality; 0 for the region',
  voters INT UNSIGNED NOT NULL COMMENT 'People with at least one vote counted here so far',
  PRIMARY KEY (quarter, scope_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Voters by quarter in each municipality and in the region, kept with every vote and withdrawal';

INSERT INTO priority_vote_tallies (quarter, municipality_id, priority_id, votes)
SELECT quarter, municipality_id, priority_id, COUNT(*)
FROM priority_votes GROUP BY quarter, municipality_id, priority_id;

INSERT INTO priority_voter_tallies (quarter, scope_id, voters)
SELECT quarter, municipality_id, COUNT(DISTINCT user_id)
FROM priority_votes GROUP BY quarter, municipality_id;

INSERT INTO priority_voter_tallies (quarter, scope_id, voters)
SELECT quarter, 0, COUNT(DISTINCT user_id)
FROM priority_votes GROUP BY quarter;
