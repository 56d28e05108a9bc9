package io.junction.interop.mqtt;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MQTT 3.1.1 section 4.7 topic names and filters: the wildcards, levels (empty ones and a leading
 * slash included), case, characters other protocols treat specially, and topics beginning with $.
 */
@Timeout(30)
class Mqtt311Section4_7TopicTest {

    private static final Duration QUIET = Duration.ofMillis(300);

    /** Every topic the matching test publishes to, in this order, each with its own index as payload. */
    private static final List<String> TOPICS = List.of(
            "sport", "sport/", "sport/tennis", "sport/tennis/player1", "sport/tennis/player1/ranking",
            "sport/tennis/player1/score/wimbledon", "sport/tennis/player2", "/finance", "finance",
            "a//b", "a/x/b", "Accounts payable", "ACCOUNTS", "/", "v1.0/x", "v1/0/x");

    @RegisterExtension
    final MqttBroker broker = MqttBroker.withSettings("sys_interval 1", "sysInterval: 1s");

    @ParameterizedTest(name = "{0} matches {1}")
    @CsvSource(delimiter = ';', value = {
            // [MQTT-4.7.1-2]: # is the parent and any number of child levels
            "sport/tennis/player1/#;sport/tennis/player1|sport/tennis/player1/ranking|sport/tennis/player1/score/wimbledon",
            "sport/#;sport|sport/|sport/tennis|sport/tennis/player1|sport/tennis/player1/ranking|sport/tennis/player1/score/wimbledon|sport/tennis/player2",
            "#;" + "sport|sport/|sport/tennis|sport/tennis/player1|sport/tennis/player1/ranking|sport/tennis/player1/score/wimbledon"
                    + "|sport/tennis/player2|/finance|finance|a//b|a/x/b|Accounts payable|ACCOUNTS|/|v1.0/x|v1/0/x",
            // [MQTT-4.7.1-3]: + is exactly one level, which may be empty
            "sport/tennis/+;sport/tennis/player1|sport/tennis/player2",
            "sport/+;sport/|sport/tennis",
            "+;sport|finance|Accounts payable|ACCOUNTS",
            "+/+;sport/|sport/tennis|/finance|/|v1.0/x",
            "/+;/finance|/",
            "+/tennis/#;sport/tennis|sport/tennis/player1|sport/tennis/player1/ranking|sport/tennis/player1/score/wimbledon|sport/tennis/player2",
            "a/+/b;a//b|a/x/b",
            "a//b;a//b",
            // [MQTT-4.7.3-4]: no normalisation, case-sensitive
            "Accounts payable;Accounts payable",
            "accounts;",
            // a dot is an ordinary character in MQTT
            "v1.0/x;v1.0/x",
            "v1/0/x;v1/0/x",
            "+/x;v1.0/x",
    })
    @DisplayName("[MQTT-4.7.1-2] [MQTT-4.7.1-3] [MQTT-4.7.3-4] wildcard matching")
    void filterMatchesExactlyItsTopics(String filter, String expectedTopics) throws Exception {
        Set<String> expected = new TreeSet<>(expectedTopics == null ? List.of() : Arrays.asList(expectedTopics.split("\\|")));
        try (PahoClient subscriber = PahoClient.connect(broker, "match-sub");
             PahoClient publisher = PahoClient.connect(broker, "match-pub")) {
            assertThat(subscriber.subscribe(filter, 1)).isEqualTo(1);
            for (String topic : TOPICS) {
                publisher.publish(topic, topic, 1, false);
            }
            Set<String> received = new TreeSet<>();
            for (PahoClient.Received message : subscriber.await(expected.size())) {
                assertThat(message.text()).as("[MQTT-3.3.2-3] the published topic name").isEqualTo(message.topic());
                received.add(message.topic());
            }
            subscriber.assertNoMessage(QUIET);
            assertThat(received).containsExactlyElementsOf(expected);
        }
    }

    @Test
    @DisplayName("* and > are ordinary characters in MQTT topic names and filters")
    void starAndGreaterThanAreOrdinaryCharacters() throws Exception {
        try (PahoClient star = PahoClient.connect(broker, "star-sub");
             PahoClient plus = PahoClient.connect(broker, "plus-sub");
             PahoClient publisher = PahoClient.connect(broker, "star-pub")) {
            star.subscribe("chars/*", 1);
            plus.subscribe("chars/+", 1);
            publisher.publish("chars/b", "b", 1, false);
            publisher.publish("chars/*", "star", 1, false);
            publisher.publish("chars/>", "gt", 1, false);
            assertThat(plus.await(3)).extracting(PahoClient.Received::topic).containsExactly("chars/b", "chars/*", "chars/>");
            PahoClient.Received received = star.await();
            assertThat(received.topic()).isEqualTo("chars/*");
            star.assertNoMessage(QUIET);
        }
    }

    @Test
    @DisplayName("[MQTT-4.7.2-1] a filter beginning with a wildcard does not match topics beginning with $")
    void leadingWildcardsDoNotMatchDollarTopics() throws Exception {
        // the broker's own $SYS topics are the $ topics every broker has; they are retained
        try (PahoClient hash = PahoClient.connect(broker, "dollar-hash");
             PahoClient plus = PahoClient.connect(broker, "dollar-plus");
             PahoClient sys = PahoClient.connect(broker, "dollar-sys")) {
            hash.subscribe("#", 0);
            plus.subscribe("+/broker/#", 0);
            sys.subscribe("$SYS/#", 0);
            // two rounds of $SYS publications (retained on subscribe, then the next interval's)
            PahoClient.Received fromSys = sys.await(Duration.ofSeconds(3));
            assertThat(fromSys.topic()).startsWith("$SYS/");
            sys.drain();
            sys.await(Duration.ofSeconds(3));
            // nothing else is published in this test
            hash.assertNoMessage(QUIET);
            plus.assertNoMessage(QUIET);
        }
    }

    @Test
    @DisplayName("[MQTT-4.7.2-1] $SYS/# and $SYS/broker/+ match $SYS topics")
    void explicitDollarFiltersMatch() throws Exception {
        try (PahoClient sys = PahoClient.connect(broker, "dollar-explicit")) {
            sys.subscribe("$SYS/broker/+", 0);
            PahoClient.Received received = sys.await(Duration.ofSeconds(3));
            assertThat(received.topic()).matches("\\$SYS/broker/[^/]+");
        }
    }
}
