-- Citizens' control: what counts as the official reaction, and the supervising body's
-- queue. An answer that is neither a result nor a plan starts a second clock: a result
-- or a plan becomes due within the theme's result_days. A department's supervisor sees
-- the problems escalated to it by deadline, and may answer, reassign or instruct.

ALTER TABLE themes
  ADD COLUMN result_days INT UNSIGNED NOT NULL DEFAULT 30
    COMMENT 'Days after an answer that is neither a result nor a plan until a result or a plan is due'
    AFTER reaction_days;

-- The supervising department's queue reads its escalated problems by deadline.
CREATE INDEX ix_problems_escalated_due ON problems (escalated_to, reaction_due_at);

ALTER TABLE problem_events
  MODIFY COLUMN kind VARCHAR(24) NOT NULL
    COMMENT 'submitted, published, rejected, routed, reassigned, handed_back, acknowledged, answered, planned, resolved, confirmed, reopened, merged, escalated, overdue, result_overdue, plan_lapsed, instructed, closed, edited',
  MODIFY COLUMN body TEXT NULL
    COMMENT 'Text of an answer, plan reason, resolution report, instruction, rejection reason or reopening reason',
  MODIFY COLUMN planned_for DATE NULL
    COMMENT 'For plans: the promised date; for instructions: the date the department must react by';
