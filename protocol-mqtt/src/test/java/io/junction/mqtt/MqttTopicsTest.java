package io.junction.mqtt;

import io.junction.core.model.Destination;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class MqttTopicsTest {

    @Test
    void levelsWildcardsAndDotsMapBothWays() {
        assertThat(MqttTopics.toCore("sensors/room1/temp")).isEqualTo(Destination.topic("sensors.room1.temp"));
        assertThat(MqttTopics.toCore("sensors/+/temp")).isEqualTo(Destination.topic("sensors.*.temp"));
        assertThat(MqttTopics.toCore("sensors/#")).isEqualTo(Destination.topic("sensors.>"));
        assertThat(MqttTopics.toCore("v1.2/x")).isEqualTo(Destination.topic("v1/2.x"));
        assertThat(MqttTopics.toCore("/leading")).isEqualTo(Destination.topic(".leading"));
        for (String topic : new String[] {"a/b/c", "v1.2/x", "/leading", "a//b", "$SYS/broker/uptime"}) {
            assertThat(MqttTopics.fromCore(MqttTopics.toCore(topic).name())).isEqualTo(topic);
        }
    }

    @Test
    void levelsThatAreCoreWildcardsAreEscaped() {
        assertThat(MqttTopics.toCore("chars/*")).isEqualTo(Destination.topic("chars.%2A"));
        assertThat(MqttTopics.toCore("chars/>/x")).isEqualTo(Destination.topic("chars.%3E.x"));
        assertThat(MqttTopics.toCore("a*b/+")).isEqualTo(Destination.topic("a*b.*"));
        assertThat(MqttTopics.fromCore("chars.%2A")).isEqualTo("chars/*");
        assertThat(MqttTopics.fromCore("chars.%3E.x")).isEqualTo("chars/>/x");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "a/b", "/", "a//b", "$SYS/x", "with space/é"})
    void validTopicNames(String topic) {
        assertThat(MqttTopics.isValidName(topic)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/+", "a/#", "a+b", "nul\u0000", "bad\uFFFDutf8"})
    void invalidTopicNames(String topic) {
        assertThat(MqttTopics.isValidName(topic)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"#", "+", "a/#", "a/+/c", "+/+", "/#", "a//+"})
    void validFilters(String filter) {
        assertThat(MqttTopics.isValidFilter(filter)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/#/c", "a#", "a/b+", "+a", "#/a"})
    void invalidFilters(String filter) {
        assertThat(MqttTopics.isValidFilter(filter)).isFalse();
    }

    @Test
    void sharedSubscriptionsSplitIntoGroupAndFilter() {
        assertThat(MqttTopics.shared("a/b")).isNull();
        MqttTopics.Shared shared = MqttTopics.shared("$share/workers/jobs/#");
        assertThat(shared.group()).isEqualTo("workers");
        assertThat(shared.filter()).isEqualTo("jobs/#");
        assertThat(shared.isValid()).isTrue();
        assertThat(MqttTopics.shared("$share/workers").isValid()).isFalse();
        assertThat(MqttTopics.shared("$share//jobs").isValid()).isFalse();
        assertThat(MqttTopics.shared("$share/a+b/jobs").isValid()).isFalse();
    }
}
