package io.junction.core.schedule;

import io.junction.core.model.Message;
import io.junction.core.model.ScheduleProperties;
import io.junction.core.spi.BrokerException;

import java.time.ZoneId;

/**
 * When a scheduled message is delivered, read from its {@link ScheduleProperties} with ActiveMQ's
 * meaning:
 *
 * <ul>
 *   <li>a <em>series</em> is {@code repeat + 1} deliveries: the first {@code delay} after the series
 *       starts (or {@code period} after it when there is no delay, as ActiveMQ does), then one
 *       every {@code period}, counted from the previous delivery;</li>
 *   <li>without a cron entry there is one series, starting at the send;</li>
 *   <li>with one, a series starts at each minute the entry matches. A series runs to its end
 *       before the next match is looked for, so matches that pass while a series is still
 *       delivering are skipped (ActiveMQ would run the series side by side).</li>
 * </ul>
 *
 * @param delay  milliseconds from the start of a series to its first delivery, 0 or more
 * @param period milliseconds between the deliveries of a series, 0 or more
 * @param repeat deliveries after the first in each series, 0 to {@link #MAX_REPEAT}
 * @param cron   when series start, or null for a single series starting at the send
 */
public record Schedule(long delay, long period, int repeat, CronExpression cron) {

    /** ActiveMQ's default limit on {@code AMQ_SCHEDULED_REPEAT}: a larger value is refused. */
    public static final int MAX_REPEAT = 1000;

    public Schedule {
        if (delay < 0 || period < 0 || repeat < 0 || repeat > MAX_REPEAT) {
            throw new IllegalArgumentException("delay " + delay + ", period " + period + ", repeat " + repeat);
        }
    }

    /**
     * The schedule a message asks for, or null when it asks for none (no delay, period or cron
     * property, or it carries {@link ScheduleProperties#JOB_ID} because a schedule delivered it).
     *
     * @throws BrokerException naming the property and the value when one is not valid
     */
    public static Schedule of(Message message) throws BrokerException {
        Object delay = message.property(ScheduleProperties.DELAY);
        Object period = message.property(ScheduleProperties.PERIOD);
        Object cron = message.property(ScheduleProperties.CRON);
        if ((delay == null && period == null && cron == null) || message.property(ScheduleProperties.JOB_ID) != null) {
            return null;
        }
        CronExpression expression = null;
        if (cron != null) {
            if (!(cron instanceof String text)) {
                throw invalid(ScheduleProperties.CRON, cron, "must be text");
            }
            try {
                expression = CronExpression.parse(text);
            } catch (IllegalArgumentException e) {
                throw invalid(ScheduleProperties.CRON, cron, e.getMessage());
            }
        }
        long repeat = number(ScheduleProperties.REPEAT, message.property(ScheduleProperties.REPEAT));
        if (repeat > MAX_REPEAT) {
            throw invalid(ScheduleProperties.REPEAT, repeat, "at most " + MAX_REPEAT + " repeats are allowed");
        }
        return new Schedule(number(ScheduleProperties.DELAY, delay), number(ScheduleProperties.PERIOD, period),
                (int) repeat, expression);
    }

    /** Whether the schedule delivers more than once. */
    public boolean repeats() {
        return repeat > 0 || cron != null;
    }

    /**
     * The state of a schedule accepted at {@code now}; null when its cron entry has no match in
     * the next eight years (it matches some date, but too rarely to wait for).
     */
    public ScheduleState first(long now, ZoneId zone) {
        long start = cron == null ? now : cron.nextAfter(now, zone);
        if (start < 0) {
            return null;
        }
        return new ScheduleState(plus(start, delay > 0 ? delay : period), start, 0, 0);
    }

    /**
     * The state after the delivery due in {@code current}, made at {@code now}; null when that
     * delivery was the last (or the cron entry has no further match).
     */
    public ScheduleState next(ScheduleState current, long now, ZoneId zone) {
        if (current.delivered() < repeat) {
            return new ScheduleState(plus(now, period), current.seriesStart(), current.delivered() + 1,
                    current.version() + 1);
        }
        if (cron == null) {
            return null;
        }
        long start = cron.nextAfter(Math.max(current.seriesStart(), now), zone);
        if (start < 0) {
            return null;
        }
        return new ScheduleState(plus(start, delay > 0 ? delay : period), start, 0, current.version() + 1);
    }

    /**
     * The message to deliver for delivery number {@code number} (1 for the first): the original
     * without the schedule properties, with {@link ScheduleProperties#JOB_ID} set, so that sending
     * it on does not schedule it again (as in ActiveMQ). A schedule that repeats gives each
     * delivery its own message id. A time-to-live counts from the delivery, not from the send.
     */
    public Message delivery(Message original, long scheduleId, long number, long now) {
        Message.Builder b = original.toBuilder()
                .removeProperty(ScheduleProperties.DELAY)
                .removeProperty(ScheduleProperties.PERIOD)
                .removeProperty(ScheduleProperties.REPEAT)
                .removeProperty(ScheduleProperties.CRON)
                .property(ScheduleProperties.JOB_ID, "schedule:" + scheduleId);
        if (repeats() && original.messageId() != null) {
            b.messageId(original.messageId() + "-" + number);
        }
        long timeToLive = original.expiration() - original.timestamp();
        if (original.expiration() > 0 && original.timestamp() > 0 && timeToLive > 0) {
            b.timestamp(now).expiration(plus(now, timeToLive));
        }
        Message delivery = b.build();
        if (original.sender() != null) {
            delivery.assignSender(original.sender());
        }
        return delivery;
    }

    private static long plus(long time, long millis) {
        long sum = time + millis;
        return sum < time ? Long.MAX_VALUE : sum;
    }

    /** A whole number of milliseconds or repeats: an integral property or decimal text, 0 or more. */
    private static long number(String property, Object value) throws BrokerException {
        if (value == null) {
            return 0;
        }
        long number;
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            number = ((Number) value).longValue();
        } else if (value instanceof String text) {
            try {
                number = Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                throw invalid(property, value, "must be a whole number");
            }
        } else {
            throw invalid(property, value, "must be a whole number");
        }
        if (number < 0) {
            throw invalid(property, value, "must not be negative");
        }
        return number;
    }

    private static BrokerException invalid(String property, Object value, String why) {
        return new BrokerException("invalid " + property + " '" + value + "': " + why + "; the message is not sent");
    }
}
