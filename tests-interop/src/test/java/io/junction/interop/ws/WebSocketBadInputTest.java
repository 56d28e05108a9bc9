package io.junction.interop.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.junction.interop.support.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;

/**
 * What a well-behaved WebSocket library would not send: subprotocols the listener does not serve,
 * a frame over the listener's limit, garbage inside the protocol, a plain HTTP request. Each is
 * refused or closed with a code, and the broker keeps serving.
 */
@Timeout(60)
class WebSocketBadInputTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final EmbeddedBroker broker = WsBrokers.create();

    @Test
    void unknownSubprotocolIsRefusedWith400() {
        assertThat(handshakeStatus(broker.port(WsBrokers.ALL), "wamp.2.json")).isEqualTo(400);
        assertStillServing();
    }

    @Test
    void subprotocolOfAProtocolTheListenerDoesNotServeIsRefusedWith400() {
        assertThat(handshakeStatus(broker.port(WsBrokers.SMALL_STOMP), "mqtt")).isEqualTo(400);
        assertStillServing();
    }

    @Test
    void frameOverTheListenerLimitClosesWith1009() throws Exception {
        WsClient stomp = WsClient.connect(broker.port(WsBrokers.SMALL_STOMP), "/", "v12.stomp");
        stomp.sendText("CONNECT\naccept-version:1.2\nhost:/\n\n\0");
        stomp.readUntil("\0", WAIT);
        stomp.sendBinary(new byte[2048]);
        assertThat(stomp.closeCode(WAIT)).isEqualTo(1009);
        assertStillServing();
    }

    @Test
    void mqttGarbageClosesTheWebSocket() {
        WsClient mqtt = WsClient.connect(broker.port(WsBrokers.ALL), "/mqtt", "mqtt");
        // Packet type 0 is reserved in MQTT: the broker drops the connection.
        mqtt.sendBinary(new byte[] {0x00, 0x02, 0x01, 0x02});
        assertThat(mqtt.closeCode(WAIT)).isEqualTo(1000);
        assertStillServing();
    }

    @Test
    void stompErrorIsFollowedByACloseFrame() throws Exception {
        WsClient stomp = WsClient.connect(broker.port(WsBrokers.ALL), "/", "v12.stomp");
        stomp.sendText("NONSENSE\n\n\0");
        assertThat(stomp.readUntil("\0", WAIT)).startsWith("ERROR\n");
        assertThat(stomp.closeCode(WAIT)).isEqualTo(1000);
        assertStillServing();
    }

    @Test
    void pingIsAnsweredWithPong() throws Exception {
        WsClient stomp = WsClient.connect(broker.port(WsBrokers.ALL), "/", "v12.stomp");
        assertThat(stomp.ping("are you there", WAIT)).isEqualTo("are you there");
    }

    @Test
    void plainHttpRequestIsRefusedWith400() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + broker.port(WsBrokers.ALL) + "/"))
                        .timeout(WAIT).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertStillServing();
    }

    private static int handshakeStatus(int port, String subprotocol) {
        Throwable failure = catchThrowable(() -> WsClient.connect(port, "/", subprotocol));
        while (failure != null && !(failure instanceof WebSocketHandshakeException)) {
            failure = failure.getCause();
        }
        assertThat(failure).as("the handshake should fail").isInstanceOf(WebSocketHandshakeException.class);
        return ((WebSocketHandshakeException) failure).getResponse().statusCode();
    }

    private void assertStillServing() {
        WsClient stomp = WsClient.connect(broker.port(WsBrokers.ALL), "/", "v12.stomp");
        stomp.sendText("CONNECT\naccept-version:1.2\nhost:/\n\n\0");
        try {
            assertThat(stomp.readUntil("\0", WAIT)).startsWith("CONNECTED\n");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
