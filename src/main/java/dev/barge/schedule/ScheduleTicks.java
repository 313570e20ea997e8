package dev.barge.schedule;

import static java.util.Objects.requireNonNull;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The record of every tick, in {@code BARGE_SCHEDULE_TICK}: the dashboard shows a spec's last run from
 * it, and it decides which instance acts on a tick. All instances see every tick of a cron
 * expression at the same instant; the first to record it owns it, and the others leave it alone.
 */
final class ScheduleTicks {
    /** The longest message kept; the column holds 4,000 characters. */
    private static final int MESSAGE_LENGTH = 4000;

    private final JdbcTemplate jdbc;
    private final Clock clock;

    ScheduleTicks(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = requireNonNull(jdbc, "jdbc is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Records a cron tick of {@code schedule} due at {@code due} as started, unless another instance
     * has recorded it already.
     *
     * @return the tick's id, or empty when the tick is another instance's
     */
    Optional<Long> claim(String schedule, Instant due, String node) {
        return insert(schedule, schedule + "@" + due, due, Tick.Trigger.CRON, node);
    }

    /** Records a run now of {@code schedule}, as started; its id. */
    long claimManual(String schedule, String node) {
        Instant now = clock.instant();
        return insert(schedule, schedule + "@manual@" + now + "@" + UUID.randomUUID(), now,
                Tick.Trigger.MANUAL, node).orElseThrow();
    }

    private Optional<Long> insert(String schedule, String key, Instant due, Tick.Trigger trigger, String node) {
        try {
            jdbc.update("insert into BARGE_SCHEDULE_TICK (SCHEDULE_NAME, TICK_KEY, DUE_AT, TRIGGERED_BY, NODE, OUTCOME,"
                    + " RECORDED_AT) values (?, ?, ?, ?, ?, ?, ?)", schedule, key, utc(due), trigger.name(),
                    node, Tick.Outcome.STARTED.name(), utc(clock.instant()));
        } catch (DuplicateKeyException theirs) {
            return Optional.empty();
        }
        return Optional.of(jdbc.queryForObject("select ID from BARGE_SCHEDULE_TICK where TICK_KEY = ?", Long.class,
                key));
    }

    /** What came of tick {@code id}: its outcome, the execution it concerns and why. */
    void decide(long id, Tick.Outcome outcome, Long jobExecutionId, String message) {
        jdbc.update("update BARGE_SCHEDULE_TICK set OUTCOME = ?, JOB_EXECUTION_ID = ?, MESSAGE = ? where ID = ?",
                outcome.name(), jobExecutionId, truncate(message), id);
    }

    /** The execution tick {@code id} started, once it is known. */
    void execution(long id, long jobExecutionId) {
        jdbc.update("update BARGE_SCHEDULE_TICK set JOB_EXECUTION_ID = ? where ID = ?", jobExecutionId, id);
    }

    /** The last tick of {@code schedule}. */
    Optional<Tick> last(String schedule) {
        return jdbc.query("select * from BARGE_SCHEDULE_TICK where SCHEDULE_NAME = ? order by ID desc"
                + " fetch first 1 rows only", ScheduleTicks::tick, schedule).stream().findFirst();
    }

    /** The last tick of {@code schedule} that started a run whose execution is known. */
    Optional<Tick> lastExecution(String schedule) {
        return jdbc.query("select * from BARGE_SCHEDULE_TICK where SCHEDULE_NAME = ? and OUTCOME = ?"
                + " and JOB_EXECUTION_ID is not null order by ID desc fetch first 1 rows only", ScheduleTicks::tick,
                schedule, Tick.Outcome.STARTED.name()).stream().findFirst();
    }

    /**
     * Deletes the ticks recorded before {@code before}, but never a spec's last tick nor the last that
     * started a run (the dashboard shows them however old they are).
     *
     * @return how many were deleted
     */
    int prune(Instant before) {
        return jdbc.update("delete from BARGE_SCHEDULE_TICK where RECORDED_AT < ?"
                + " and ID not in (select max(ID) from BARGE_SCHEDULE_TICK group by SCHEDULE_NAME)"
                + " and ID not in (select max(ID) from BARGE_SCHEDULE_TICK where OUTCOME = 'STARTED'"
                + " and JOB_EXECUTION_ID is not null group by SCHEDULE_NAME)", utc(before));
    }

    /** The last {@code limit} ticks of {@code schedule}, newest first. */
    List<Tick> recent(String schedule, int limit) {
        return jdbc.query("select * from BARGE_SCHEDULE_TICK where SCHEDULE_NAME = ? order by ID desc"
                + " fetch first " + Math.max(1, limit) + " rows only", ScheduleTicks::tick, schedule);
    }

    /** Every tick of {@code schedule}, oldest first. */
    List<Tick> all(String schedule) {
        return jdbc.query("select * from BARGE_SCHEDULE_TICK where SCHEDULE_NAME = ? order by ID",
                ScheduleTicks::tick, schedule);
    }

    private static Tick tick(ResultSet rs, int row) throws SQLException {
        long execution = rs.getLong("JOB_EXECUTION_ID");
        boolean none = rs.wasNull();
        return new Tick(rs.getLong("ID"), rs.getString("SCHEDULE_NAME"), rs.getObject("DUE_AT", LocalDateTime.class).toInstant(ZoneOffset.UTC),
                Tick.Trigger.valueOf(rs.getString("TRIGGERED_BY")), rs.getString("NODE"),
                Tick.Outcome.valueOf(rs.getString("OUTCOME")), none ? null : execution,
                rs.getString("MESSAGE"));
    }

    /** Times are kept in UTC, whatever the zone of the instance that wrote them. */
    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static String truncate(String message) {
        return message == null || message.length() <= MESSAGE_LENGTH ? message
                : message.substring(0, MESSAGE_LENGTH - 1) + "…";
    }
}
