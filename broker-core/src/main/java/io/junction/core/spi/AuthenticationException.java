package io.junction.core.spi;

/**
 * The broker refuses a connection's credentials. The protocol answers with its own refusal
 * (MQTT CONNACK, STOMP ERROR, AMQP SASL outcome, OpenWire JMSSecurityException), but only
 * after {@link #delayMillis()}, scheduled on its event loop, so that guessing passwords is slow.
 */
public final class AuthenticationException extends BrokerException {

    private static final long serialVersionUID = 1L;

    /** Why: MQTT 5 tells these apart (0x86 and 0x87). */
    public enum Reason {
        /** Unknown user, wrong password, or no credentials where they are required. */
        BAD_CREDENTIALS,
        /** The user is known but may not connect through this listener. */
        NOT_AUTHORIZED
    }

    private final Reason reason;
    private final long delayMillis;

    public AuthenticationException(Reason reason, String message, long delayMillis) {
        super(message);
        this.reason = reason;
        this.delayMillis = delayMillis;
    }

    public Reason reason() {
        return reason;
    }

    /** How long the protocol waits before it sends the refusal. */
    public long delayMillis() {
        return delayMillis;
    }
}
