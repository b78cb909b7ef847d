CREATE TABLE municipalities (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Surrogate key',
  slug VARCHAR(64) NOT NULL COMMENT 'Stable Latin identifier used in URLs and open data, e.g. krasnodar',
  name_ru VARCHAR(128) NOT NULL COMMENT 'Official name in Russian',
  name_en VARCHAR(128) NOT NULL COMMENT 'Name in English',
  kind VARCHAR(32) NOT NULL COMMENT 'city_okrug or municipal_district',
  centre_name_ru VARCHAR(128) NOT NULL COMMENT 'Administrative centre, in Russian',
  centre_name_en VARCHAR(128) NOT NULL COMMENT 'Administrative centre, in English',
  centre_lat DOUBLE NOT NULL COMMENT 'Latitude of the administrative centre, WGS84 decimal degrees',
  centre_lon DOUBLE NOT NULL COMMENT 'Longitude of the administrative centre, WGS84 decimal degrees',
  boundary_geojson LONGTEXT NULL COMMENT 'Boundary as a GeoJSON Polygon or MultiPolygon geometry, when imported',
  boundary_updated_at DATETIME NULL COMMENT 'When the boundary was last imported (UTC)',
  CONSTRAINT uq_municipalities_slug UNIQUE (slug),
  CONSTRAINT ck_municipalities_kind CHECK (kind IN ('city_okrug', 'municipal_district')),
  CONSTRAINT ck_municipalities_lat CHECK (centre_lat BETWEEN -90 AND 90),
  CONSTRAINT ck_municipalities_lon CHECK (centre_lon BETWEEN -180 AND 180)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='The 44 municipalities of Krasnodar Krai (7 city okrugs, 37 municipal districts)';
