-- Direct messages: one-to-one conversations between people, and conversations an official
-- opens with a problem's author about that problem. Each member's unread count is kept
-- in their member row, written in the transaction that writes the message, so it is
-- exact however many messages arrive at once; the list of conversations is read from the
-- member rows in the order of their newest message.

CREATE TABLE conversations (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key',
  pair_key VARCHAR(64) NOT NULL COMMENT 'The two members'' ids, smaller first, and the problem''s id when bound to one: one conversation per pair and topic',
  problem_id BIGINT UNSIGNED NULL COMMENT 'The problem an official opened it about; NULL for a personal conversation',
  started_by BIGINT UNSIGNED NOT NULL COMMENT 'Who wrote first',
  created_at DATETIME NOT NULL COMMENT 'When (UTC)',
  UNIQUE KEY uq_conversations_pair (pair_key),
  INDEX ix_conversations_problem (problem_id),
  CONSTRAINT fk_conversations_problem FOREIGN KEY (problem_id) REFERENCES problems (id) ON DELETE CASCADE,
  CONSTRAINT fk_conversations_started_by FOREIGN KEY (started_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Conversations between two people';

CREATE TABLE conversation_members (
  conversation_id BIGINT UNSIGNED NOT NULL COMMENT 'The conversation',
  user_id BIGINT UNSIGNED NOT NULL COMMENT 'One of its two members',
  unread INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'Messages of the other member after the last one this member read',
  last_read_message_id BIGINT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'The newest message this member has read',
  last_message_id BIGINT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'The conversation''s newest message: the order of the member''s list',
  PRIMARY KEY (conversation_id, user_id),
  INDEX ix_conversation_members_list (user_id, last_message_id, conversation_id),
  CONSTRAINT fk_conversation_members_conversation FOREIGN KEY (conversation_id) REFERENCES conversations (id) ON DELETE CASCADE,
  CONSTRAINT fk_conversation_members_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='The two members of each conversation, with what each has read';

CREATE TABLE messages (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key, also the order of a conversation and of live delivery',
  conversation_id BIGINT UNSIGNED NOT NULL COMMENT 'The conversation',
  sender_id BIGINT UNSIGNED NOT NULL COMMENT 'Who wrote it',
  body TEXT NOT NULL COMMENT 'The text as typed: plain text, links recognised when shown',
  created_at DATETIME NOT NULL COMMENT 'When it was sent (UTC)',
  INDEX ix_messages_conversation (conversation_id, id),
  CONSTRAINT fk_messages_conversation FOREIGN KEY (conversation_id) REFERENCES conversations (id) ON DELETE CASCADE,
  CONSTRAINT fk_messages_sender FOREIGN KEY (sender_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Direct messages';
