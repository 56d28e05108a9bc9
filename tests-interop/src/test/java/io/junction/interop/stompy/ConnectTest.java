package io.junction.interop.stompy;

import io.junction.interop.support.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** CONNECT / CONNECTED with each STOMP version stomp.py speaks. */
class ConnectTest {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker().withUser("guest", "pa:ss\\word");

    @ParameterizedTest
    @ValueSource(strings = {"1.0", "1.1", "1.2"})
    void negotiatesTheVersionTheClientAsksFor(String version) {
        try (StompPy client = StompPy.start(broker.stompPort())) {
            StompEvent connected = client.connect(version, Map.of(), 0, 0);

            assertThat(connected.header("version")).isEqualTo(version);
            assertThat(connected.header("session")).isNotBlank();
            assertThat(connected.header("server")).startsWith("Junction/");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0", "1.1", "1.2"})
    void sendsReceivesAndAcknowledgesWithEachVersion(String version) {
        try (StompPy client = StompPy.connect(broker.stompPort(), version)) {
            client.subscribe("/queue/versions", "s1", "client");
            client.send("/queue/versions", "hello " + version);

            StompEvent message = client.awaitMessage();
            assertThat(message.body()).isEqualTo("hello " + version);
            assertThat(message.header("subscription")).isEqualTo("s1");
            client.ack(message);
        }
        // Acknowledged, so closing the connection gives nothing back to the queue.
        await().untilAsserted(() -> assertThat(broker.broker().queue("versions").depth()).isZero());
    }

    @ParameterizedTest
    @ValueSource(strings = {"CONNECT", "STOMP"})
    void acceptsBothConnectCommands(String command) {
        try (StompPy client = StompPy.start(broker.stompPort())) {
            client.request(StompPy.command("connect", "version", "1.2", "command", command));

            assertThat(client.awaitEvent("connected").header("version")).isEqualTo("1.2");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0", "1.2"})
    void connectHeaderValuesAreNotEscaped(String version) {
        // stomp.py writes CONNECT and STOMP headers as they are, as the specification says.
        Map<String, String> headers = Map.of("login", "guest", "passcode", "pa:ss\\word", "client-id", "app:1");
        try (StompPy client = StompPy.connect(broker.stompPort(), version, headers)) {
            client.subscribe("/topic/news", "1", "auto", Map.of("activemq.subscriptionName", "feed"));

            assertThat(broker.broker().queue("app:1:feed")).as("durable subscription of client app:1").isNotNull();
        }
    }

    @Test
    void connectedOmitsHeartBeatForVersion10() {
        try (StompPy client = StompPy.start(broker.stompPort())) {
            assertThat(client.connect("1.0", Map.of(), 0, 0).headers()).doesNotContainKey("heart-beat");
        }
    }

    @Test
    void clientIdIsExclusiveWhileConnected() {
        try (StompPy first = StompPy.connect(broker.stompPort(), "1.2", Map.of("client-id", "app-1"));
             StompPy second = StompPy.start(broker.stompPort())) {
            second.request(StompPy.command("connect", "version", "1.2", "headers", Map.of("client-id", "app-1")));

            assertThat(second.awaitEvent("error").header("message")).contains("app-1");
        }
    }

    @Test
    void disconnectIsConfirmedWithAReceipt() {
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            client.disconnect();
        }
        await().untilAsserted(() -> assertThat(broker.broker().connectionCount()).isZero());
    }
}
