package io.junction.core.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** How a listener's connections are carried before the protocol codec sees the bytes. */
public enum Transport {
    TCP,
    TLS,
    WS,
    WSS,
    ;

    /** The names written in {@code conf/broker.yaml}, for messages. */
    static final String NAMES = Arrays.stream(values()).map(Transport::yamlName).collect(Collectors.joining(", "));

    /** The name written in {@code conf/broker.yaml}: {@code tcp}, {@code tls}, {@code ws} or {@code wss}. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for {@code tls} and {@code wss}: the connection begins with a TLS handshake. */
    public boolean isTls() {
        return this == TLS || this == WSS;
    }

    /** True for {@code ws} and {@code wss}: the connection begins with an HTTP upgrade to WebSocket. */
    public boolean isWebSocket() {
        return this == WS || this == WSS;
    }

    static Optional<Transport> byYamlName(String name) {
        return Arrays.stream(values()).filter(t -> t.yamlName().equals(name)).findFirst();
    }
}
