ALTER TABLE registry_imports
  DROP INDEX ix_registry_imports_running,
  DROP COLUMN heartbeat_at;
