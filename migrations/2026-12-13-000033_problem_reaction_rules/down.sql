ALTER TABLE problem_events
  MODIFY COLUMN kind VARCHAR(24) NOT NULL
    COMMENT 'submitted, published, rejected, routed, reassigned, handed_back, acknowledged, answered, planned, resolved, confirmed, reopened, merged, escalated, overdue, plan_lapsed, closed, edited',
  MODIFY COLUMN body TEXT NULL
    COMMENT 'Text of an answer, plan reason, resolution report, rejection reason or reopening reason',
  MODIFY COLUMN planned_for DATE NULL
    COMMENT 'For plans: the promised date';
-- The foreign key's own index gave way to the composite one; it comes back first.
CREATE INDEX fk_problems_escalated_to ON problems (escalated_to);
DROP INDEX ix_problems_escalated_due ON problems;
ALTER TABLE themes DROP COLUMN result_days;
