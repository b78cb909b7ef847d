ALTER TABLE problems
  DROP INDEX ix_problems_due,
  ADD INDEX ix_problems_due (reaction_due_at);
