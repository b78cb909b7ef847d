DROP TABLE initiative_remarks;
DROP TABLE initiative_conclusions;
DROP TABLE initiative_experts;
ALTER TABLE initiatives
  MODIFY COLUMN stage_ends_at DATETIME NULL
    COMMENT 'The published end of the current stage: a concept''s support window, a discussion''s close (UTC)',
  DROP FOREIGN KEY fk_initiatives_escalated_to,
  DROP INDEX ix_initiatives_reaction,
  DROP COLUMN act_url,
  DROP COLUMN act_date,
  DROP COLUMN act_number,
  DROP COLUMN escalated_to,
  DROP COLUMN overdue_since,
  DROP COLUMN reminded_at,
  DROP COLUMN reaction_due_at;
