-- Cluster-wide rate limits (issue 16): the budgets of a remote that every process of the job
-- repository shares (workers, partitions, managers), one per remote and kind (operations, bytes).
-- BARGE_RATE_BUCKET holds Bucket4j's token buckets (its select-for-update proxy manager: an id and
-- the bucket's serialised state). BARGE_RATE_LIMIT holds the adaptive rate each bucket is refilled
-- at: the rate set by the last step down (BASE_RATE) and when (CHANGED_AT, epoch milliseconds),
-- from which every process computes the same slow recovery, up to CEILING (0: none configured).
--
-- Both UNLOGGED: a token bucket's state is worth nothing after a crash (the table comes back empty
-- and the buckets start full, one second's worth), and a commit that wrote only unlogged tables does
-- not wait for the WAL to reach the disk. Measured here, a round trip of Bucket4j's transaction took
-- milliseconds of fsync on a logged table; a lease is now a fraction of that. A step down lost with
-- a crash means the rate starts again from the configured limit, and steps down again if it must.
CREATE UNLOGGED TABLE BARGE_RATE_BUCKET (
    ID VARCHAR(300) NOT NULL PRIMARY KEY,
    STATE BYTEA
);
CREATE UNLOGGED TABLE BARGE_RATE_LIMIT (
    ID VARCHAR(300) NOT NULL PRIMARY KEY,
    BASE_RATE DOUBLE PRECISION NOT NULL,
    CHANGED_AT BIGINT NOT NULL,
    CEILING DOUBLE PRECISION NOT NULL,
    STEP DOUBLE PRECISION NOT NULL,
    DECREASES BIGINT NOT NULL
);
