package io.junction.bench.loadgen;

import java.util.Locale;

/**
 * How a client reaches the broker ({@code --transport}): plain TCP, TLS, WebSocket or WebSocket
 * over TLS. The MQTT scenarios and stomp-queue take all four; the JMS scenarios only TCP.
 */
enum Transport {
    TCP, TLS, WS, WSS;

    static Transport parse(String name) {
        return switch (name) {
            case "tcp" -> TCP;
            case "tls" -> TLS;
            case "ws" -> WS;
            case "wss" -> WSS;
            default -> throw new IllegalArgumentException("--transport is tcp, tls, ws or wss, was " + name);
        };
    }

    boolean secure() {
        return this == TLS || this == WSS;
    }

    boolean webSocket() {
        return this == WS || this == WSS;
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
