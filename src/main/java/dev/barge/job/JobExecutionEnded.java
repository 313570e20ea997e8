package dev.barge.job;

/**
 * Published as a Spring application event when a job execution started in this process has ended,
 * however it ended: by whoever started it ({@code barge serve}'s scheduler, its dashboard), so that
 * what watches jobs (metrics) hears of every run without each starter knowing the watchers.
 *
 * @param jobExecutionId the execution's id in the job repository
 */
public record JobExecutionEnded(long jobExecutionId) {}
