ALTER TABLE registry_imports
  ADD COLUMN heartbeat_at DATETIME NULL COMMENT 'Last sign of life of the running phase (UTC); a phase silent for minutes died with its server and is marked failed'
  AFTER committed_at,
  ADD INDEX ix_registry_imports_running (phase, heartbeat_at);
