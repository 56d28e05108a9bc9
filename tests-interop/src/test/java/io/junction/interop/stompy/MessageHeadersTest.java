package io.junction.interop.stompy;

import io.junction.interop.support.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a SEND carries arrives in the MESSAGE: headers, JMS fields, bodies of any bytes. */
class MessageHeadersTest {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker();

    @Test
    void jmsFieldsAndCustomHeadersRoundTrip() {
        String expires = Long.toString(System.currentTimeMillis() + 60_000);
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            client.send("/queue/headers", "payload", Map.of(
                    "persistent", "true",
                    "priority", "7",
                    "expires", expires,
                    "correlation-id", "corr-42",
                    "reply-to", "/queue/answers",
                    "type", "order-created",
                    "x-order-id", "42",
                    "tenant", "acme"));
            client.subscribe("/queue/headers", "1");

            StompEvent message = client.awaitMessage();
            assertThat(message.headers()).containsAllEntriesOf(Map.of(
                    "persistent", "true",
                    "priority", "7",
                    "expires", expires,
                    "correlation-id", "corr-42",
                    "reply-to", "/queue/answers",
                    "type", "order-created",
                    "x-order-id", "42",
                    "tenant", "acme"));
            assertThat(Long.parseLong(message.header("timestamp"))).isPositive();
        }
    }

    @Test
    void nonPersistentIsTheDefault() {
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            client.send("/queue/headers", "payload");
            client.subscribe("/queue/headers", "1");

            assertThat(client.awaitMessage().headers()).doesNotContainKey("persistent");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.1", "1.2"})
    void headerValuesNeedingEscapesSurvive(String version) {
        // 1.1 cannot escape a carriage return, so only 1.2 carries one.
        String value = "a:b\\c\nd" + ("1.2".equals(version) ? "\re" : "");
        try (StompPy client = StompPy.connect(broker.stompPort(), version)) {
            client.send("/queue/escapes", "payload", Map.of("note", value));
            client.subscribe("/queue/escapes", "1");

            assertThat(client.awaitMessage().header("note")).isEqualTo(value);
        }
    }

    @Test
    void headerValuesKeepCharactersOutsideTheBasicMultilingualPlane() {
        String value = "launch \uD83D\uDE80 \uD834\uDD1E";
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            client.send("/queue/unicode", "payload", Map.of("note", value));
            client.subscribe("/queue/unicode", "1");

            assertThat(client.awaitMessage().header("note")).isEqualTo(value);
        }
    }

    @Test
    void version10HeaderValuesAreTakenLiterally() {
        // STOMP 1.0 has no escapes: a backslash is just a backslash and a colon is part of the value.
        // The consumer speaks 1.2, because stomp.py un-escapes the headers it receives on any version.
        String value = "C:\\temp\\new\\b at 12:30";
        try (StompPy sender = StompPy.connect(broker.stompPort(), "1.0");
             StompPy receiver = StompPy.connect(broker.stompPort(), "1.2")) {
            sender.send("/queue/literal", "payload", Map.of("path", value));
            receiver.subscribe("/queue/literal", "1");

            assertThat(receiver.awaitMessage().header("path")).isEqualTo(value);
        }
    }

    @Test
    void bodyWithNulBytesArrivesIntact() {
        byte[] body = new byte[512];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            client.sendBytes("/queue/binary", body, Map.of("content-type", "application/octet-stream"));
            client.subscribe("/queue/binary", "1");

            StompEvent message = client.awaitMessage();
            assertThat(message.bodyBytes()).isEqualTo(body);
            assertThat(message.header("content-length")).isEqualTo("512");
            assertThat(message.header("content-type")).isEqualTo("application/octet-stream");
        }
    }

    @Test
    void textBodyKeepsItsCharactersAndContentType() {
        String text = "grüße, 東京, emoji \uD83D\uDE80";
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            client.send("/queue/text", text, Map.of("content-type", "text/plain;charset=utf-8"));
            client.subscribe("/queue/text", "1");

            StompEvent message = client.awaitMessage();
            assertThat(message.body()).isEqualTo(text);
            assertThat(message.header("content-type")).isEqualTo("text/plain;charset=utf-8");
        }
    }

    @Test
    void emptyBodyIsDelivered() {
        try (StompPy client = StompPy.connect(broker.stompPort(), "1.2")) {
            client.send("/queue/empty", "");
            client.subscribe("/queue/empty", "1");

            StompEvent message = client.awaitMessage();
            assertThat(message.bodyBytes()).isEmpty();
            assertThat(message.header("content-length")).isEqualTo("0");
        }
    }
}
