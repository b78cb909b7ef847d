ALTER TABLE notifications
  DROP FOREIGN KEY fk_notifications_construction_report,
  DROP COLUMN construction_report_id;
ALTER TABLE photos
  DROP FOREIGN KEY fk_photos_construction_report,
  DROP INDEX ix_photos_construction_report,
  DROP COLUMN is_verification,
  DROP COLUMN construction_report_id;
DROP TABLE construction_report_events;
DROP TABLE construction_reports;
DROP TABLE construction_changes;
DROP TABLE import_mappings;
DROP TABLE registry_imports;
DROP TABLE constructions;
