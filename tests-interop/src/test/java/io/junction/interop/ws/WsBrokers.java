package io.junction.interop.ws;

import io.junction.interop.support.EmbeddedBroker;

/** The broker the WebSocket tests use: the usual listeners plus two {@code transport: ws} ones. */
final class WsBrokers {

    /** Serves MQTT, STOMP and AMQP, chosen by subprotocol (or the first bytes without one). */
    static final String ALL = "ws";
    /** Serves STOMP only, with 1 KB frames at most. */
    static final String SMALL_STOMP = "ws-stomp";

    private WsBrokers() {
    }

    static EmbeddedBroker create() {
        return new EmbeddedBroker().withListeners("""
                  - name: ws
                    protocols: [mqtt, stomp, amqp]
                    transport: ws
                    port: 0
                  - name: ws-stomp
                    protocols: [stomp]
                    transport: ws
                    port: 0
                    webSocketMaxFrameSize: 1KB
                """);
    }
}
