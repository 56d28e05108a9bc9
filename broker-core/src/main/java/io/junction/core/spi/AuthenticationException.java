package io.junction.core.spi;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The broker refuses a connection's credentials. The protocol answers with its own refusal
 * (MQTT CONNACK, STOMP ERROR, AMQP SASL outcome, OpenWire JMSSecurityException), but only
 * after {@link #delayMillis()}, scheduled on its event loop, so that guessing passwords is slow.
 */
public final class AuthenticationException extends BrokerException {

    private static final long serialVersionUID = 1L;

    /** Why: MQTT 5 tells these apart (0x86, 0x87 and 0x89). */
    public enum Reason {
        /** Unknown user, wrong password, or no credentials where they are required. */
        BAD_CREDENTIALS,
        /** The user is known but may not connect through this listener. */
        NOT_AUTHORIZED,
        /** The broker has too many logins to check right now; the client may try again later. */
        SERVER_BUSY
    }

    private final Reason reason;
    private final long delayMillis;

    public AuthenticationException(Reason reason, String message, long delayMillis) {
        super(message);
        this.reason = reason;
        this.delayMillis = delayMillis;
    }

    /**
     * The refusal a failed authentication stage carries, unwrapped from the
     * {@link CompletionException} a dependent stage puts around it; anything else that failed is
     * reported as a busy server, so that a client is always answered.
     */
    public static AuthenticationException of(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof AuthenticationException refusal ? refusal
                : new AuthenticationException(Reason.SERVER_BUSY, "authentication failed: " + cause, 0);
    }

    public Reason reason() {
        return reason;
    }

    /** How long the protocol waits before it sends the refusal. */
    public long delayMillis() {
        return delayMillis;
    }
}
