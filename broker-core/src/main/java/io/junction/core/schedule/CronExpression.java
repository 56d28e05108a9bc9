package io.junction.core.schedule;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;

/**
 * A standard 5-field cron entry: {@code minute hour day-of-month month day-of-week}, each field a
 * comma-separated list of {@code *}, {@code n}, {@code n-m}, with an optional {@code /step}
 * ({@code *}{@code /15}, {@code 8-18/2}, {@code 5/10} = 5 to the end by 10). Months and days of the
 * week may be named ({@code JAN}, {@code MON}); Sunday is 0 or 7. As in Vixie cron, when both day
 * fields are restricted (neither starts with {@code *}) a day matches if either matches.
 *
 * <p>Immutable; the fields are kept as bit sets, so an expression costs a few dozen bytes however
 * many scheduled messages use one.
 */
public final class CronExpression {

    /**
     * How far {@link #nextAfter} looks ahead: leap days can be eight years apart (2096 to 2104),
     * so an expression with no match in that span never matches.
     */
    private static final int HORIZON_DAYS = 366 * 8 + 1;
    private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT",
            "NOV", "DEC"};
    private static final String[] WEEKDAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

    private final String text;
    private final long minutes;
    private final long hours;
    private final long daysOfMonth;
    private final long months;
    private final long daysOfWeek;
    private final boolean dayOfMonthStar;
    private final boolean dayOfWeekStar;

    private CronExpression(String text, long minutes, long hours, long daysOfMonth, long months, long daysOfWeek,
                           boolean dayOfMonthStar, boolean dayOfWeekStar) {
        this.text = text;
        this.minutes = minutes;
        this.hours = hours;
        this.daysOfMonth = daysOfMonth;
        this.months = months;
        this.daysOfWeek = daysOfWeek;
        this.dayOfMonthStar = dayOfMonthStar;
        this.dayOfWeekStar = dayOfWeekStar;
    }

    /**
     * @throws IllegalArgumentException saying what is wrong, for the client: not five fields, a
     *                                  value out of range, or an entry that can never match
     */
    public static CronExpression parse(String text) {
        Objects.requireNonNull(text, "text");
        String[] fields = text.trim().split("\\s+");
        if (fields.length != 5) {
            throw new IllegalArgumentException("a cron entry has 5 fields (minute hour day-of-month month "
                    + "day-of-week), this one has " + (text.isBlank() ? 0 : fields.length));
        }
        long weekdays = field(fields[4], "day-of-week", 0, 7, WEEKDAYS);
        if ((weekdays & (1L << 7)) != 0) {
            weekdays = (weekdays & ~(1L << 7)) | 1L;
        }
        CronExpression cron = new CronExpression(text.trim(), field(fields[0], "minute", 0, 59, null),
                field(fields[1], "hour", 0, 23, null), field(fields[2], "day-of-month", 1, 31, null),
                field(fields[3], "month", 1, 12, MONTHS), weekdays, fields[2].startsWith("*"),
                fields[4].startsWith("*"));
        if (cron.nextAfter(0, ZoneOffset.UTC) < 0) {
            throw new IllegalArgumentException("the cron entry never matches a date");
        }
        return cron;
    }

    /** The entry as given (trimmed), which is what the store keeps. */
    public String text() {
        return text;
    }

    /**
     * The first whole minute strictly after {@code epochMillis} that the entry matches, in the
     * given zone's local time, as epoch milliseconds; -1 if none within eight years. A local time
     * that a daylight-saving change skips runs at the shifted time; one that repeats runs once.
     */
    public long nextAfter(long epochMillis, ZoneId zone) {
        ZonedDateTime start = Instant.ofEpochMilli(epochMillis).atZone(zone).truncatedTo(ChronoUnit.MINUTES)
                .plusMinutes(1);
        LocalDate date = start.toLocalDate();
        int fromHour = start.getHour();
        int fromMinute = start.getMinute();
        for (int day = 0; day < HORIZON_DAYS; day++, date = date.plusDays(1), fromHour = 0, fromMinute = 0) {
            if (!dayMatches(date)) {
                continue;
            }
            for (int hour = fromHour; hour < 24; hour++) {
                if (!has(hours, hour)) {
                    continue;
                }
                for (int minute = hour == fromHour ? fromMinute : 0; minute < 60; minute++) {
                    if (has(minutes, minute)) {
                        long at = LocalDateTime.of(date.getYear(), date.getMonth(), date.getDayOfMonth(), hour, minute)
                                .atZone(zone).toInstant().toEpochMilli();
                        if (at > epochMillis) {
                            return at;
                        }
                    }
                }
            }
        }
        return -1;
    }

    private boolean dayMatches(LocalDate date) {
        if (!has(months, date.getMonthValue())) {
            return false;
        }
        boolean dayOfMonth = has(daysOfMonth, date.getDayOfMonth());
        boolean dayOfWeek = has(daysOfWeek, date.getDayOfWeek().getValue() % 7);
        return dayOfMonthStar || dayOfWeekStar ? dayOfMonth && dayOfWeek : dayOfMonth || dayOfWeek;
    }

    private static boolean has(long bits, int value) {
        return (bits & (1L << value)) != 0;
    }

    private static long field(String field, String name, int min, int max, String[] names) {
        long bits = 0;
        for (String item : field.split(",", -1)) {
            bits |= item(item, field, name, min, max, names);
        }
        return bits;
    }

    private static long item(String item, String field, String name, int min, int max, String[] names) {
        String range = item;
        int step = 1;
        int slash = item.indexOf('/');
        if (slash >= 0) {
            range = item.substring(0, slash);
            step = number(item.substring(slash + 1), field, name, 1, max, null);
        }
        int from;
        int to;
        if (range.equals("*")) {
            from = min;
            to = max;
        } else {
            int dash = range.indexOf('-');
            if (dash >= 0) {
                from = number(range.substring(0, dash), field, name, min, max, names);
                to = number(range.substring(dash + 1), field, name, min, max, names);
                if (to < from) {
                    throw new IllegalArgumentException("bad " + name + " field '" + field + "': range " + range
                            + " runs backwards");
                }
            } else {
                from = number(range, field, name, min, max, names);
                to = slash >= 0 ? max : from;
            }
        }
        long bits = 0;
        for (int value = from; value <= to; value += step) {
            bits |= 1L << value;
        }
        return bits;
    }

    private static int number(String text, String field, String name, int min, int max, String[] names) {
        if (names != null) {
            String upper = text.toUpperCase(Locale.ROOT);
            for (int i = 0; i < names.length; i++) {
                if (names[i].equals(upper)) {
                    return i + (names == MONTHS ? 1 : 0);
                }
            }
        }
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad " + name + " field '" + field + "': '" + text
                    + "' is not a number" + (names == null ? "" : " or a name"));
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException("bad " + name + " field '" + field + "': " + value + " is not in "
                    + min + "-" + max);
        }
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CronExpression other && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
