ALTER TABLE registry_imports
  DROP CONSTRAINT ck_registry_imports_register,
  DROP COLUMN register;
DROP TABLE illegal_construction_events;
DROP TABLE illegal_constructions;
