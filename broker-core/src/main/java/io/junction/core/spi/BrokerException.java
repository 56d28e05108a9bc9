package io.junction.core.spi;

/**
 * A request the broker refuses: an invalid destination or selector, a destination that may not be
 * auto-created, a second durable subscriber. The message is meant for the client, so a protocol
 * puts it into its error frame as it is.
 */
public class BrokerException extends Exception {

    public BrokerException(String message) {
        super(message);
    }

    public BrokerException(String message, Throwable cause) {
        super(message, cause);
    }
}
