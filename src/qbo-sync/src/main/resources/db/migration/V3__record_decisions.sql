-- A person's decision on a record, taken from the sync center or the /api/records actions:
-- CREATE_NEW (create a customer even though QBO has candidates), MATCHED (linked by hand), SKIPPED.
ALTER TABLE sync_record ADD COLUMN decision VARCHAR(16);
ALTER TABLE sync_record ADD COLUMN decided_by VARCHAR(100);
