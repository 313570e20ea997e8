-- Any key a store can list can be recorded as a failure, whatever its length: S3 allows 1,024 bytes,
-- a local path many more, and a failure that cannot be recorded would fail the whole job.
-- (CHARACTER VARYING without a length holds up to 1,000,000,000 characters in H2 2.)
ALTER TABLE BARGE_OBJECT_FAILURE ALTER COLUMN OBJECT_KEY SET DATA TYPE CHARACTER VARYING;
