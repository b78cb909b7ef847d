-- Priority ranks: a catalogue of development priorities (regional, or for one
-- municipality), citizens' votes per quarter counted for the voter's home municipality at
-- the moment of voting, the limited changes of that home, and the quarterly rank
-- snapshots built from the votes. A snapshot is written once, in one transaction, and
-- never changed: its method version, vote budget and minimum number of voters, and the
-- populations it weighted by, are stored with it so that anyone can recompute it.

ALTER TABLE municipalities
  ADD COLUMN population INT UNSIGNED NOT NULL DEFAULT 0
    COMMENT 'Resident population, for the population-weighted regional priority rank',
  ADD COLUMN population_source VARCHAR(255) NOT NULL DEFAULT ''
    COMMENT 'Where the population figure comes from and how exact it is';

-- Rounded to thousands; typed from the 2021 census results without a machine-readable
-- source at hand, so marked approximate until checked against Rosstat's table.
UPDATE municipalities m JOIN (
  SELECT 'krasnodar' AS slug, 1121000 AS population UNION ALL
  SELECT 'sochi', 466000 UNION ALL SELECT 'novorossiysk', 344000 UNION ALL
  SELECT 'armavir', 186000 UNION ALL SELECT 'anapa', 226000 UNION ALL
  SELECT 'gelendzhik', 124000 UNION ALL SELECT 'goryachy-klyuch', 68000 UNION ALL
  SELECT 'abinsky', 98000 UNION ALL SELECT 'apsheronsky', 90000 UNION ALL
  SELECT 'beloglinsky', 28000 UNION ALL SELECT 'belorechensky', 106000 UNION ALL
  SELECT 'bryukhovetsky', 49000 UNION ALL SELECT 'vyselkovsky', 58000 UNION ALL
  SELECT 'gulkevichsky', 96000 UNION ALL SELECT 'dinskoy', 148000 UNION ALL
  SELECT 'yeysky', 134000 UNION ALL SELECT 'kavkazsky', 115000 UNION ALL
  SELECT 'kalininsky', 50000 UNION ALL SELECT 'kanevskoy', 98000 UNION ALL
  SELECT 'korenovsky', 87000 UNION ALL SELECT 'krasnoarmeysky', 98000 UNION ALL
  SELECT 'krylovsky', 34000 UNION ALL SELECT 'krymsky', 131000 UNION ALL
  SELECT 'kurganinsky', 101000 UNION ALL SELECT 'kushchyovsky', 64000 UNION ALL
  SELECT 'labinsky', 97000 UNION ALL SELECT 'leningradsky', 64000 UNION ALL
  SELECT 'mostovsky', 68000 UNION ALL SELECT 'novokubansky', 83000 UNION ALL
  SELECT 'novopokrovsky', 42000 UNION ALL SELECT 'otradnensky', 59000 UNION ALL
  SELECT 'pavlovsky', 67000 UNION ALL SELECT 'primorsko-akhtarsky', 56000 UNION ALL
  SELECT 'seversky', 128000 UNION ALL SELECT 'slavyansky', 124000 UNION ALL
  SELECT 'starominskoy', 36000 UNION ALL SELECT 'tbilissky', 46000 UNION ALL
  SELECT 'temryuksky', 124000 UNION ALL SELECT 'timashyovsky', 107000 UNION ALL
  SELECT 'tikhoretsky', 113000 UNION ALL SELECT 'tuapsinsky', 121000 UNION ALL
  SELECT 'uspensky', 40000 UNION ALL SELECT 'ust-labinsky', 108000 UNION ALL
  SELECT 'shcherbinovsky', 35000
) p ON p.slug = m.slug
SET m.population = p.population,
    m.population_source = 'Перепись 2021 г., округлено до тысяч; приблизительно, сверить с Росстатом';

CREATE TABLE priorities (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key',
  municipality_id BIGINT UNSIGNED NULL COMMENT 'The municipality it is for; NULL for a regional priority',
  theme_id BIGINT UNSIGNED NOT NULL COMMENT 'Its theme',
  title VARCHAR(200) NOT NULL COMMENT 'Title, as typed',
  description VARCHAR(4000) NOT NULL COMMENT 'What is proposed and why, as typed',
  lat DOUBLE NULL COMMENT 'Latitude of its place, if it has one (WGS84)',
  lon DOUBLE NULL COMMENT 'Longitude of its place, if it has one (WGS84)',
  status VARCHAR(16) NOT NULL COMMENT 'proposed (by a citizen, awaiting moderation), open (can be voted for), rejected, closed (keeps its history)',
  decision_reason VARCHAR(1000) NOT NULL DEFAULT '' COMMENT 'Why it was rejected or closed, shown to everyone',
  author_id BIGINT UNSIGNED NULL COMMENT 'Who proposed or added it; NULL for the system',
  created_at DATETIME NOT NULL COMMENT 'When it was proposed or added (UTC)',
  updated_at DATETIME NOT NULL COMMENT 'When it last changed (UTC)',
  CONSTRAINT fk_priorities_municipality FOREIGN KEY (municipality_id) REFERENCES municipalities (id),
  CONSTRAINT fk_priorities_theme FOREIGN KEY (theme_id) REFERENCES themes (id),
  CONSTRAINT fk_priorities_author FOREIGN KEY (author_id) REFERENCES users (id),
  CONSTRAINT ck_priorities_status CHECK (status IN ('proposed', 'open', 'rejected', 'closed')),
  CONSTRAINT ck_priorities_place CHECK ((lat IS NULL) = (lon IS NULL)),
  INDEX ix_priorities_status (status, municipality_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Development priorities citizens vote for, regional or of one municipality';

CREATE TABLE priority_votes (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key',
  user_id BIGINT UNSIGNED NOT NULL COMMENT 'The voter',
  priority_id BIGINT UNSIGNED NOT NULL COMMENT 'The priority voted for',
  quarter DATE NOT NULL COMMENT 'The first day of the quarter the vote is for (region time)',
  municipality_id BIGINT UNSIGNED NOT NULL COMMENT 'The voter''s home municipality when voting: where the vote counts',
  created_at DATETIME NOT NULL COMMENT 'When it was cast (UTC)',
  CONSTRAINT uq_priority_votes_once UNIQUE (user_id, quarter, priority_id),
  CONSTRAINT fk_priority_votes_user FOREIGN KEY (user_id) REFERENCES users (id),
  CONSTRAINT fk_priority_votes_priority FOREIGN KEY (priority_id) REFERENCES priorities (id),
  CONSTRAINT fk_priority_votes_municipality FOREIGN KEY (municipality_id) REFERENCES municipalities (id),
  CONSTRAINT ck_priority_votes_quarter CHECK (DAYOFMONTH(quarter) = 1 AND MONTH(quarter) IN (1, 4, 7, 10)),
  -- Covers the snapshot's and the standings' counts: a quarter's votes by municipality,
  -- priority and voter are read from the index alone.
  INDEX ix_priority_votes_quarter (quarter, municipality_id, priority_id, user_id),
  INDEX ix_priority_votes_priority (priority_id, quarter)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Citizens'' priority votes: at most one per person, quarter and priority';

CREATE TABLE home_municipality_changes (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key',
  user_id BIGINT UNSIGNED NOT NULL COMMENT 'Who moved',
  quarter DATE NOT NULL COMMENT 'The quarter of the change (its first day); one change per person and quarter',
  from_municipality_id BIGINT UNSIGNED NOT NULL COMMENT 'The home before',
  to_municipality_id BIGINT UNSIGNED NOT NULL COMMENT 'The home after',
  reason VARCHAR(500) NOT NULL COMMENT 'Why, as the person typed it',
  changed_at DATETIME NOT NULL COMMENT 'When (UTC)',
  CONSTRAINT uq_home_municipality_changes_quarter UNIQUE (user_id, quarter),
  CONSTRAINT fk_home_municipality_changes_user FOREIGN KEY (user_id) REFERENCES users (id),
  CONSTRAINT fk_home_municipality_changes_from FOREIGN KEY (from_municipality_id) REFERENCES municipalities (id),
  CONSTRAINT fk_home_municipality_changes_to FOREIGN KEY (to_municipality_id) REFERENCES municipalities (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Changes of a person''s home municipality: at most one a quarter, with a reason';

CREATE TABLE priority_rank_snapshots (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key',
  quarter DATE NOT NULL COMMENT 'The quarter ranked (its first day); one snapshot per quarter',
  method_version SMALLINT UNSIGNED NOT NULL COMMENT 'The version of the published method that built it',
  votes_per_voter INT UNSIGNED NOT NULL COMMENT 'How many votes each person had in the quarter',
  min_voters INT UNSIGNED NOT NULL COMMENT 'The fewest voters a municipality (or the region) needs for a rank',
  votes INT UNSIGNED NOT NULL COMMENT 'Votes of the quarter counted',
  voters INT UNSIGNED NOT NULL COMMENT 'People who voted in the quarter',
  built_at DATETIME NOT NULL COMMENT 'When it was built (UTC)',
  CONSTRAINT uq_priority_rank_snapshots_quarter UNIQUE (quarter)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Quarterly priority rank snapshots; immutable';

CREATE TABLE priority_rank_scopes (
  snapshot_id BIGINT UNSIGNED NOT NULL COMMENT 'The snapshot',
  scope_id BIGINT UNSIGNED NOT NULL COMMENT 'The municipality ranked; 0 for the region',
  voters INT UNSIGNED NOT NULL COMMENT 'People whose votes counted here',
  votes INT UNSIGNED NOT NULL COMMENT 'Votes counted here',
  population INT UNSIGNED NOT NULL COMMENT 'The population used for the weighting (the region: the sum of the municipalities weighted)',
  weight DOUBLE NOT NULL COMMENT 'A municipality''s share in the population-weighted regional rank; 0 when it has too few voters to be weighted; 1 for the region',
  ranked BOOLEAN NOT NULL COMMENT 'Whether it had enough voters for a rank',
  PRIMARY KEY (snapshot_id, scope_id),
  CONSTRAINT fk_priority_rank_scopes_snapshot FOREIGN KEY (snapshot_id) REFERENCES priority_rank_snapshots (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='The region''s and each municipality''s figures in a quarterly snapshot';

CREATE TABLE priority_rank_rows (
  snapshot_id BIGINT UNSIGNED NOT NULL COMMENT 'The snapshot',
  scope_id BIGINT UNSIGNED NOT NULL COMMENT 'The municipality ranked; 0 for the region',
  priority_id BIGINT UNSIGNED NOT NULL COMMENT 'The priority',
  votes INT UNSIGNED NOT NULL COMMENT 'Votes it got here',
  share DOUBLE NOT NULL COMMENT 'Votes divided by the voters here: the share of voters who chose it',
  vote_rank INT UNSIGNED NULL COMMENT 'Rank by votes; NULL when the scope has too few voters',
  previous_vote_rank INT UNSIGNED NULL COMMENT 'Its rank here in the previous quarter''s snapshot, if it had one',
  weighted_share DOUBLE NULL COMMENT 'The region only: the sum over the weighted municipalities of weight times share there',
  weighted_rank INT UNSIGNED NULL COMMENT 'The region only: rank by weighted share',
  previous_weighted_rank INT UNSIGNED NULL COMMENT 'The region only: the weighted rank in the previous quarter',
  PRIMARY KEY (snapshot_id, scope_id, priority_id),
  CONSTRAINT fk_priority_rank_rows_snapshot FOREIGN KEY (snapshot_id) REFERENCES priority_rank_snapshots (id),
  CONSTRAINT fk_priority_rank_rows_priority FOREIGN KEY (priority_id) REFERENCES priorities (id),
  INDEX ix_priority_rank_rows_priority (priority_id, snapshot_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='One priority''s figures in the region or one municipality in a quarterly snapshot';
