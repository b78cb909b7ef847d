-- The Governor's dashboard: a read-only analyst role, and the monthly aggregates its
-- figures are read from. The aggregates are kept current by one job (under a lease, so
-- one instance at a time), which recomputes each month touched since its last run; a
-- view of a year reads a few thousand rows instead of a year's problems.

ALTER TABLE user_roles DROP CONSTRAINT ck_user_roles_role;
ALTER TABLE user_roles ADD CONSTRAINT ck_user_roles_role
  CHECK (role IN ('citizen', 'expert', 'official', 'moderator', 'analyst', 'admin'));

CREATE TABLE problem_stats (
  month DATE NOT NULL COMMENT 'First day of the month the problems were reported in',
  municipality_id BIGINT UNSIGNED NOT NULL COMMENT 'Municipality of the problems',
  department_id BIGINT UNSIGNED NOT NULL COMMENT 'Responsible department; 0 while none is',
  theme_id BIGINT UNSIGNED NOT NULL COMMENT 'Theme of the problems',
  received INT UNSIGNED NOT NULL COMMENT 'Public problems reported in the month (duplicates left out)',
  reacted INT UNSIGNED NOT NULL COMMENT 'Of those, with an official reaction',
  reacted_on_time INT UNSIGNED NOT NULL COMMENT 'Of those, reacted to within the theme''s reaction days of publication',
  overdue INT UNSIGNED NOT NULL COMMENT 'Of those, overdue when the figures were computed',
  planned INT UNSIGNED NOT NULL COMMENT 'Of those, planned when the figures were computed',
  resolved INT UNSIGNED NOT NULL COMMENT 'Of those, resolved or closed when the figures were computed',
  PRIMARY KEY (month, municipality_id, department_id, theme_id),
  INDEX ix_problem_stats_municipality (municipality_id, month)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Problems per month, municipality, department and theme, for the dashboard';

CREATE TABLE problem_reaction_stats (
  scope_municipality_id BIGINT UNSIGNED NOT NULL COMMENT 'The view the histogram serves: 0 the region, else that municipality',
  dimension VARCHAR(16) NOT NULL COMMENT 'all, municipality, department or theme: what key_id names',
  month DATE NOT NULL COMMENT 'First day of the month the problems were reported in',
  key_id BIGINT UNSIGNED NOT NULL COMMENT 'The municipality, department (0: none yet) or theme; 0 for all',
  bucket SMALLINT UNSIGNED NOT NULL COMMENT 'Reaction time class (app::dashboard::model::REACTION_BUCKET_BOUNDS)',
  problems INT UNSIGNED NOT NULL COMMENT 'Problems whose first reaction took a time of that class',
  PRIMARY KEY (scope_municipality_id, dimension, month, key_id, bucket)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Reaction-time histograms per view and breakdown, for the dashboard''s median and 90th percentile (percentiles do not add, so each breakdown keeps its own)';

CREATE TABLE construction_report_stats (
  month DATE NOT NULL COMMENT 'First day of the month the reports were submitted in',
  municipality_id BIGINT UNSIGNED NOT NULL COMMENT 'Municipality of the reports',
  department_id BIGINT UNSIGNED NOT NULL COMMENT 'Supervision department they are routed to',
  reports INT UNSIGNED NOT NULL COMMENT 'Reports submitted in the month',
  confirmed INT UNSIGNED NOT NULL COMMENT 'Of those, with a confirmed violation (confirmed or measures taken)',
  PRIMARY KEY (month, municipality_id, department_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Construction reports per month, municipality and department, for the dashboard';

CREATE TABLE dashboard_refreshes (
  id TINYINT UNSIGNED NOT NULL PRIMARY KEY COMMENT 'Always 1: the one row',
  refreshed_at DATETIME NOT NULL COMMENT 'The aggregates hold every change committed before this time (UTC)',
  rebuilt_on DATE NOT NULL COMMENT 'The day of the last full rebuild (one a day catches any change no event names)'
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='How fresh the dashboard''s aggregates are';

-- The refresh finds the months touched since its last run through these.
CREATE INDEX ix_problem_events_created ON problem_events (created_at);
CREATE INDEX ix_construction_reports_updated ON construction_reports (updated_at);
