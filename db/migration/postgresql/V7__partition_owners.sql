-- Which worker runs a remote partition (a step execution of a job run with --remote), and when it last
-- said it was alive: the manager fails a partition whose worker is gone (kill -9, a lost machine), so
-- that its job ends and its restart hands the partition to another worker. The row goes when the
-- partition ends.
CREATE TABLE BARGE_PARTITION_OWNER (
    STEP_EXECUTION_ID BIGINT NOT NULL PRIMARY KEY,
    HOST VARCHAR(255) NOT NULL,
    PID BIGINT NOT NULL,
    STARTED_AT TIMESTAMP NOT NULL,
    HEARTBEAT_AT TIMESTAMP NOT NULL,
    CONSTRAINT BARGE_PARTITION_OWNER_STEP_FK FOREIGN KEY (STEP_EXECUTION_ID)
        REFERENCES BATCH_STEP_EXECUTION (STEP_EXECUTION_ID)
);
