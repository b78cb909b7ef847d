-- The transactional outbox: a message for the world outside (an e-mail now, a department's
-- webhook later) is written in the same transaction as the change it tells about, and a
-- delivery job sends it afterwards. A rolled-back change sends nothing; a crash after the
-- commit loses nothing, because the row waits here until it is delivered.
CREATE TABLE outbox_events (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key; also the order of delivery within an ordering key, and the receivers'' idempotency key',
  channel VARCHAR(16) NOT NULL COMMENT 'How it is delivered: email',
  kind VARCHAR(64) NOT NULL COMMENT 'What it tells, e.g. account.confirm_registration',
  ordering_key VARCHAR(191) NOT NULL COMMENT 'Events with the same key are delivered one after another in id order, e.g. mail:<address>',
  payload LONGTEXT NOT NULL COMMENT 'What is delivered, as JSON in the channel''s shape',
  status VARCHAR(16) NOT NULL DEFAULT 'pending' COMMENT 'pending, delivered, or failed (gave up)',
  attempts INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'Delivery attempts made so far',
  created_at DATETIME NOT NULL COMMENT 'When the change committed it (UTC)',
  next_attempt_at DATETIME NOT NULL COMMENT 'Not tried again before (UTC)',
  claimed_by VARCHAR(100) NULL COMMENT 'The delivery run that holds it now',
  claimed_until DATETIME NULL COMMENT 'The claim lapses then, so a crashed run never keeps an event (UTC)',
  last_error VARCHAR(1000) NULL COMMENT 'Why the last attempt failed',
  delivered_at DATETIME NULL COMMENT 'When it was delivered (UTC)',
  CONSTRAINT ck_outbox_events_status CHECK (status IN ('pending', 'delivered', 'failed')),
  INDEX ix_outbox_events_due (status, next_attempt_at),
  INDEX ix_outbox_events_order (ordering_key, status, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Messages to deliver outside, written with the change they tell about';
