package io.junction.core.model;

/**
 * The message properties that ask the broker to hold a message back and deliver it later, maybe
 * repeatedly. The names are ActiveMQ's, so that existing clients keep working; they are the
 * broker's contract for every protocol (a protocol maps its own form of a delivery delay to them).
 *
 * <p>A message is scheduled when it has {@link #DELAY}, {@link #PERIOD} or {@link #CRON};
 * {@link #REPEAT} alone schedules nothing. Numbers may be given as integral numbers or as decimal
 * text (STOMP headers and MQTT user properties are text). A message that already carries
 * {@link #JOB_ID} is sent at once, as in ActiveMQ.
 */
public final class ScheduleProperties {

    /** Milliseconds to wait before the first delivery (long, 0 or more). */
    public static final String DELAY = "AMQ_SCHEDULED_DELAY";
    /** Milliseconds between repeated deliveries (long, 0 or more). */
    public static final String PERIOD = "AMQ_SCHEDULED_PERIOD";
    /** How many times to deliver again after the first delivery (int, 0 to 1000). */
    public static final String REPEAT = "AMQ_SCHEDULED_REPEAT";
    /** A 5-field cron entry (minute hour day-of-month month day-of-week) in the broker's time zone. */
    public static final String CRON = "AMQ_SCHEDULED_CRON";
    /**
     * Set by the broker on each message it delivers from a schedule (the schedule's id); the
     * four properties above are removed then, so that the delivered message is not scheduled
     * again when it is sent on.
     */
    public static final String JOB_ID = "scheduledJobId";

    private ScheduleProperties() {
    }
}
