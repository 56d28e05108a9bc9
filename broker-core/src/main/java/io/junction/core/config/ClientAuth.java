package io.junction.core.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** Whether a TLS listener asks its clients for a certificate. */
public enum ClientAuth {
    /** No certificate is requested. */
    NONE,
    /** A certificate is requested; a client without one still connects, one with an untrusted one does not. */
    OPTIONAL,
    /** A client without a certificate the trust store trusts is refused during the handshake. */
    REQUIRED,
    ;

    static final String NAMES = Arrays.stream(values()).map(ClientAuth::yamlName).collect(Collectors.joining(", "));

    /** The name written in {@code conf/broker.yaml}. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<ClientAuth> byYamlName(String name) {
        return Arrays.stream(values()).filter(c -> c.yamlName().equals(name)).findFirst();
    }
}
