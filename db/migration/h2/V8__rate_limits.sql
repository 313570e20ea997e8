-- Cluster-wide rate limits (issue 16): the budgets of a remote that every process of the job
-- repository shares (workers, partitions, managers), one per remote and kind (operations, bytes).
-- (H2 is one process's database: the budgets stay in memory there; the tables keep both schemas
-- alike.) BARGE_RATE_BUCKET holds Bucket4j's token buckets (its select-for-update proxy manager: an id and
-- the bucket's serialised state). BARGE_RATE_LIMIT holds the adaptive rate each bucket is refilled
-- at: the rate set by the last step down (BASE_RATE) and when (CHANGED_AT, epoch milliseconds),
-- from which every process computes the same slow recovery, up to CEILING (0: none configured).
CREATE TABLE BARGE_RATE_BUCKET (
    ID VARCHAR(300) NOT NULL PRIMARY KEY,
    STATE VARBINARY
);
CREATE TABLE BARGE_RATE_LIMIT (
    ID VARCHAR(300) NOT NULL PRIMARY KEY,
    BASE_RATE DOUBLE PRECISION NOT NULL,
    CHANGED_AT BIGINT NOT NULL,
    CEILING DOUBLE PRECISION NOT NULL,
    STEP DOUBLE PRECISION NOT NULL,
    DECREASES BIGINT NOT NULL
);
