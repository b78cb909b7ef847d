-- The cleanup of abandoned uploads lists staged photos (attached to neither a problem nor
-- a construction report) uploaded before a cutoff. The old (problem_id, created_at) index
-- holds construction reports' photos under problem_id NULL too, so that listing read
-- through every one of them; with construction_report_id between the two, the staged
-- photos before the cutoff are one index range. problem_id stays first, so the index still
-- serves the foreign key.
ALTER TABLE photos
  DROP INDEX ix_photos_staged,
  ADD INDEX ix_photos_staged (problem_id, construction_report_id, created_at)
    COMMENT 'Staged photos (both references NULL) by upload time, for the cleanup of abandoned uploads';
