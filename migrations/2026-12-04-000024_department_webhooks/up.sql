-- A department's document-flow system subscribes to events about its work (a problem
-- routed to it, reassigned, escalated, overdue, a reminder); each goes through the outbox
-- as signed JSON to the endpoint below. The secret must stay readable: it signs every
-- delivery, and the receiver checks the signature with the same secret.
CREATE TABLE department_webhooks (
  department_id BIGINT UNSIGNED NOT NULL PRIMARY KEY COMMENT 'The department whose system receives the events',
  url VARCHAR(500) NOT NULL COMMENT 'Where events are POSTed (http or https)',
  secret VARCHAR(128) NOT NULL COMMENT 'Shared key of the HMAC-SHA256 signature',
  event_kinds VARCHAR(1000) NOT NULL COMMENT 'Space-separated kinds delivered, e.g. problem.routed problem.overdue',
  is_active BOOL NOT NULL DEFAULT TRUE COMMENT 'Inactive endpoints get no new events',
  updated_at DATETIME NOT NULL COMMENT 'Last change (UTC)',
  updated_by BIGINT UNSIGNED NULL COMMENT 'The admin who changed it last',
  CONSTRAINT fk_department_webhooks_department FOREIGN KEY (department_id) REFERENCES departments (id),
  CONSTRAINT fk_department_webhooks_user FOREIGN KEY (updated_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Departments'' webhook endpoints for their document-flow systems';
