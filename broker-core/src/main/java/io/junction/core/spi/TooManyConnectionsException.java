package io.junction.core.spi;

/**
 * The broker refuses a new connection because its user already has as many open as it may
 * ({@code security.maxConnectionsPerUser}, or the user's own {@code maxConnections} in
 * {@code users.yaml}). Each protocol answers with its own "quota exceeded" refusal: MQTT CONNACK
 * 0x97 (5) or 0x03 (3.1.1), a STOMP ERROR frame, AMQP {@code amqp:resource-limit-exceeded} on the
 * open, an OpenWire ExceptionResponse.
 */
public final class TooManyConnectionsException extends BrokerException {

    private static final long serialVersionUID = 1L;

    public TooManyConnectionsException(String message) {
        super(message);
    }
}
