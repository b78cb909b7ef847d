-- Notifications by e-mail, beside the bell: officials get their department's new
-- assignments, reminders and escalations unless they turn it off; everyone may opt in to
-- the steps of what they follow (their own problems included).
ALTER TABLE users
  ADD COLUMN mail_work_notices BOOL NOT NULL DEFAULT TRUE COMMENT 'Mail me my department''s new assignments, reminders and escalations (officials)',
  ADD COLUMN mail_followed_notices BOOL NOT NULL DEFAULT FALSE COMMENT 'Mail me the steps of what I follow';
