package io.junction.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing 5-field cron entries and finding the next minute they match. */
class CronExpressionTest {

    private static long utc(String localDateTime) {
        return LocalDateTime.parse(localDateTime).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    private static String next(String cron, String after) {
        long at = CronExpression.parse(cron).nextAfter(utc(after), ZoneOffset.UTC);
        return at < 0 ? "never" : LocalDateTime.ofEpochSecond(at / 1000, 0, ZoneOffset.UTC).toString();
    }

    @ParameterizedTest(name = "{0} after {1} is {2}")
    @CsvSource(delimiter = '|', value = {
            "* * * * *          | 2024-05-10T10:15:30 | 2024-05-10T10:16",
            "* * * * *          | 2024-05-10T10:15:00 | 2024-05-10T10:16",
            "0 * * * *          | 2024-05-10T10:15:00 | 2024-05-10T11:00",
            "*/15 * * * *       | 2024-05-10T10:15:00 | 2024-05-10T10:30",
            "5/20 * * * *       | 2024-05-10T10:26:00 | 2024-05-10T10:45",
            "30 8-18/2 * * *    | 2024-05-10T18:31:00 | 2024-05-11T08:30",
            "0 0 1 * *          | 2024-05-10T10:15:00 | 2024-06-01T00:00",
            "0 12 * * MON       | 2024-05-10T10:15:00 | 2024-05-13T12:00",
            "0 12 * * 7         | 2024-05-10T10:15:00 | 2024-05-12T12:00",
            "0 12 * * sun       | 2024-05-10T10:15:00 | 2024-05-12T12:00",
            "0 0 * JAN,jul *    | 2024-05-10T10:15:00 | 2024-07-01T00:00",
            "0 0 29 2 *         | 2024-03-01T00:00:00 | 2028-02-29T00:00",
            "59 23 31 12 *      | 2024-12-31T23:59:00 | 2025-12-31T23:59",
    })
    void nextMatch(String cron, String after, String expected) {
        assertThat(next(cron.trim(), after.trim())).isEqualTo(expected.trim());
    }

    @Test
    void whenBothDayFieldsAreRestrictedEitherMatches() {
        // 2024-05-13 is a Monday, before the 15th.
        assertThat(next("0 0 15 * 1", "2024-05-10T10:00:00")).isEqualTo("2024-05-13T00:00");
        assertThat(next("0 0 15 * 1", "2024-05-13T10:00:00")).isEqualTo("2024-05-15T00:00");
    }

    @Test
    void whenOneDayFieldStartsWithAStarBothMustMatch() {
        // Mondays on odd days of the month: 2024-05-13 (odd) is one.
        assertThat(next("0 0 */2 * MON", "2024-05-10T10:00:00")).isEqualTo("2024-05-13T00:00");
        assertThat(next("0 0 */2 * MON", "2024-05-13T10:00:00")).isEqualTo("2024-05-27T00:00");
    }

    @Test
    void localTimeFollowsTheZone() {
        ZoneId paris = ZoneId.of("Europe/Paris");
        long after = utc("2024-07-01T00:00:00");
        long at = CronExpression.parse("0 9 * * *").nextAfter(after, paris);
        // 09:00 in Paris in summer is 07:00 UTC.
        assertThat(at).isEqualTo(utc("2024-07-01T07:00:00"));
    }

    @Test
    void localTimeSkippedByDaylightSavingRunsShifted() {
        ZoneId paris = ZoneId.of("Europe/Paris");
        // 2024-03-31 02:30 does not exist in Paris; it runs at 03:30 local = 01:30 UTC.
        long at = CronExpression.parse("30 2 31 3 *").nextAfter(utc("2024-03-30T12:00:00"), paris);
        assertThat(at).isEqualTo(utc("2024-03-31T01:30:00"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "* * * *", "* * * * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *",
            "* * * * 8", "*/0 * * * *", "5-1 * * * *", "a * * * *", "* * * FOO *", "1,,2 * * * *", "0 0 30 2 *",
            "0 0 31 4,6,9,11 *"})
    void invalidEntriesAreRefused(String cron) {
        assertThatThrownBy(() -> CronExpression.parse(cron)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("Exception");
    }

    @Test
    void refusalSaysWhatIsWrong() {
        assertThatThrownBy(() -> CronExpression.parse("61 * * * *"))
                .hasMessage("bad minute field '61': 61 is not in 0-59");
        assertThatThrownBy(() -> CronExpression.parse("0 0 30 2 *")).hasMessage("the cron entry never matches a date");
        assertThatThrownBy(() -> CronExpression.parse("* * *"))
                .hasMessageContaining("5 fields").hasMessageContaining("has 3");
    }
}
