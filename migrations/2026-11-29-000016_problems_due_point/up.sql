-- The map's "overdue" filter depends on the time of the request, so counted cells cannot
-- answer it (migration 14): the whole-region view groups every overdue problem itself.
-- With status and point in the deadline index, that grouping reads this index alone
-- instead of a million table rows (1.7 s -> 0.24 s for 296,000 overdue problems in the
-- benchmark). The deadline job's ranges on reaction_due_at use its first column as before.
ALTER TABLE problems
  DROP INDEX ix_problems_due,
  ADD INDEX ix_problems_due (reaction_due_at, status, lat, lon)
    COMMENT 'Deadlines for the deadline job; with status and point, the overdue map without table reads';
