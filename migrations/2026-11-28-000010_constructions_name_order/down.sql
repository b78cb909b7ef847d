ALTER TABLE constructions DROP INDEX ix_constructions_name;
