DROP INDEX ix_construction_reports_updated ON construction_reports;
DROP INDEX ix_problem_events_created ON problem_events;
DROP TABLE dashboard_refreshes;
DROP TABLE construction_report_stats;
DROP TABLE problem_reaction_stats;
DROP TABLE problem_stats;
DELETE FROM user_roles WHERE role = 'analyst';
ALTER TABLE user_roles DROP CONSTRAINT ck_user_roles_role;
ALTER TABLE user_roles ADD CONSTRAINT ck_user_roles_role
  CHECK (role IN ('citizen', 'expert', 'official', 'moderator', 'admin'));
