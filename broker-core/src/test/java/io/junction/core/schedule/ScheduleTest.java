package io.junction.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junction.core.model.Destination;
import io.junction.core.model.Message;
import io.junction.core.model.ScheduleProperties;
import io.junction.core.spi.BrokerException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading a schedule from message properties, and the delivery times it gives. */
class ScheduleTest {

    private static final long NOW = LocalDateTime.parse("2024-05-10T10:15:30").toInstant(ZoneOffset.UTC).toEpochMilli();

    private static Message.Builder message() {
        return Message.builder(Destination.queue("orders")).textBody("hello");
    }

    private static Schedule of(Message.Builder builder) throws BrokerException {
        return Schedule.of(builder.build());
    }

    /** The delivery times of the first {@code max} deliveries, each made on time. */
    private static List<Long> times(Schedule schedule, int max) {
        List<Long> times = new ArrayList<>();
        ScheduleState state = schedule.first(NOW, ZoneOffset.UTC);
        while (state != null && times.size() < max) {
            times.add(state.nextDelivery() - NOW);
            state = schedule.next(state, state.nextDelivery(), ZoneOffset.UTC);
        }
        return times;
    }

    @Test
    void messageWithoutScheduleProperties() throws Exception {
        assertThat(of(message())).isNull();
        assertThat(of(message().property(ScheduleProperties.REPEAT, 3))).as("repeat alone schedules nothing").isNull();
    }

    @Test
    void messageAlreadyDeliveredByASchedule() throws Exception {
        assertThat(of(message().property(ScheduleProperties.DELAY, 1000L).property(ScheduleProperties.JOB_ID, "x")))
                .isNull();
    }

    @Test
    void delayOnly() throws Exception {
        Schedule schedule = of(message().property(ScheduleProperties.DELAY, 5000L));

        assertThat(schedule).isEqualTo(new Schedule(5000, 0, 0, null));
        assertThat(schedule.repeats()).isFalse();
        assertThat(times(schedule, 10)).containsExactly(5000L);
    }

    @Test
    void repeatWithPeriodDeliversRepeatPlusOneTimes() throws Exception {
        Schedule schedule = of(message().property(ScheduleProperties.DELAY, 1000L)
                .property(ScheduleProperties.PERIOD, 500L).property(ScheduleProperties.REPEAT, 3));

        assertThat(times(schedule, 10)).containsExactly(1000L, 1500L, 2000L, 2500L);
    }

    @Test
    void withoutDelayTheFirstDeliveryWaitsOnePeriod() throws Exception {
        Schedule schedule = of(message().property(ScheduleProperties.PERIOD, 500L).property(ScheduleProperties.REPEAT, 1));

        assertThat(times(schedule, 10)).containsExactly(500L, 1000L);
    }

    @Test
    void periodCountsFromTheActualDelivery() throws Exception {
        Schedule schedule = new Schedule(0, 1000, 2, null);
        ScheduleState first = schedule.first(NOW, ZoneOffset.UTC);

        ScheduleState late = schedule.next(first, NOW + 60_000, ZoneOffset.UTC);

        assertThat(late.nextDelivery()).isEqualTo(NOW + 61_000);
        assertThat(late.delivered()).isEqualTo(1);
        assertThat(late.version()).isEqualTo(1);
    }

    @Test
    void cronStartsASeriesAtEachMatch() throws Exception {
        Schedule schedule = of(message().property(ScheduleProperties.CRON, "*/10 * * * *")
                .property(ScheduleProperties.DELAY, 1000L).property(ScheduleProperties.PERIOD, 1000L)
                .property(ScheduleProperties.REPEAT, 2));

        // 10:15:30 -> matches at 10:20 and 10:30, three deliveries a second apart from one second after each.
        assertThat(times(schedule, 6)).containsExactly(270_000L + 1000, 270_000L + 2000, 270_000L + 3000,
                870_000L + 1000, 870_000L + 2000, 870_000L + 3000);
    }

    @Test
    void cronAloneDeliversAtEachMatch() throws Exception {
        Schedule schedule = of(message().property(ScheduleProperties.CRON, "0 * * * *"));

        assertThat(times(schedule, 3)).containsExactly(2_670_000L, 6_270_000L, 9_870_000L);
    }

    @Test
    void overdueCronDeliversOnceThenWaitsForTheNextMatch() {
        Schedule schedule = new Schedule(0, 0, 0, CronExpression.parse("0 * * * *"));
        ScheduleState overdue = new ScheduleState(NOW - 5 * 3_600_000L, NOW - 5 * 3_600_000L, 0, 7);

        ScheduleState next = schedule.next(overdue, NOW, ZoneOffset.UTC);

        assertThat(next.nextDelivery()).isEqualTo(NOW + 2_670_000L);
        assertThat(next.version()).isEqualTo(8);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "AMQ_SCHEDULED_DELAY  | 5000   | 5000",
            "AMQ_SCHEDULED_DELAY  | ' 250 '| 250",
            "AMQ_SCHEDULED_PERIOD | 42     | 42",
    })
    void numbersMayBeText(String property, String value, long expected) throws Exception {
        Schedule schedule = of(message().property(property, value));

        assertThat(property.equals(ScheduleProperties.DELAY) ? schedule.delay() : schedule.period()).isEqualTo(expected);
    }

    @Test
    void numbersMayBeAnyIntegralType() throws Exception {
        assertThat(of(message().property(ScheduleProperties.DELAY, 7)).delay()).isEqualTo(7);
        assertThat(of(message().property(ScheduleProperties.DELAY, (short) 7)).delay()).isEqualTo(7);
        assertThat(of(message().property(ScheduleProperties.DELAY, "0").property(ScheduleProperties.REPEAT, "12"))
                .repeat()).isEqualTo(12);
    }

    @Test
    void invalidValuesAreRefusedWithTheirName() {
        assertThatThrownBy(() -> of(message().property(ScheduleProperties.DELAY, -1L)))
                .isInstanceOf(BrokerException.class)
                .hasMessage("invalid AMQ_SCHEDULED_DELAY '-1': must not be negative; the message is not sent");
        assertThatThrownBy(() -> of(message().property(ScheduleProperties.DELAY, "soon")))
                .hasMessageStartingWith("invalid AMQ_SCHEDULED_DELAY 'soon': must be a whole number");
        assertThatThrownBy(() -> of(message().property(ScheduleProperties.DELAY, 1.5)))
                .hasMessageStartingWith("invalid AMQ_SCHEDULED_DELAY '1.5': must be a whole number");
        assertThatThrownBy(() -> of(message().property(ScheduleProperties.PERIOD, "-5")))
                .hasMessageStartingWith("invalid AMQ_SCHEDULED_PERIOD '-5'");
        assertThatThrownBy(() -> of(message().property(ScheduleProperties.DELAY, 1L)
                .property(ScheduleProperties.REPEAT, -1)))
                .hasMessageStartingWith("invalid AMQ_SCHEDULED_REPEAT '-1'");
        assertThatThrownBy(() -> of(message().property(ScheduleProperties.DELAY, 1L)
                .property(ScheduleProperties.REPEAT, 1001)))
                .hasMessageStartingWith("invalid AMQ_SCHEDULED_REPEAT '1001': at most 1000 repeats");
        assertThatThrownBy(() -> of(message().property(ScheduleProperties.CRON, "every minute")))
                .hasMessageStartingWith("invalid AMQ_SCHEDULED_CRON 'every minute': a cron entry has 5 fields");
        assertThatThrownBy(() -> of(message().property(ScheduleProperties.CRON, 5)))
                .hasMessageStartingWith("invalid AMQ_SCHEDULED_CRON '5': must be text");
    }

    @Test
    void hugeDelayDoesNotOverflow() throws Exception {
        Schedule schedule = of(message().property(ScheduleProperties.DELAY, Long.MAX_VALUE));

        assertThat(schedule.first(NOW, ZoneOffset.UTC).nextDelivery()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void deliveryLosesTheScheduleAndNamesIt() {
        Message original = message().messageId("ID:1").property(ScheduleProperties.DELAY, 1000L)
                .property(ScheduleProperties.PERIOD, 10L).property(ScheduleProperties.REPEAT, 1)
                .property(ScheduleProperties.CRON, "* * * * *").property("color", "red").build();
        original.assignSender("client-1");
        Schedule schedule = new Schedule(1000, 10, 1, null);

        Message delivery = schedule.delivery(original, 77, 2, NOW);

        assertThat(delivery.properties()).containsOnlyKeys("color", ScheduleProperties.JOB_ID);
        assertThat(delivery.property(ScheduleProperties.JOB_ID)).isEqualTo("schedule:77");
        assertThat(delivery.messageId()).isEqualTo("ID:1-2");
        assertThat(delivery.sender()).isEqualTo("client-1");
        assertThat(delivery.bodyAsText()).isEqualTo("hello");
        assertThat(delivery.brokerId()).isZero();
    }

    @Test
    void singleDeliveryKeepsItsMessageIdAndTimeToLiveCountsFromTheDelivery() {
        Message original = message().messageId("ID:1").timestamp(NOW - 10_000).expiration(NOW - 10_000 + 3000).build();

        Message delivery = new Schedule(10_000, 0, 0, null).delivery(original, 5, 1, NOW);

        assertThat(delivery.messageId()).isEqualTo("ID:1");
        assertThat(delivery.timestamp()).isEqualTo(NOW);
        assertThat(delivery.expiration()).isEqualTo(NOW + 3000);
    }
}
