package io.junction.core.spi;

/**
 * The broker refuses a request because the connection's user may not do it: an ACL of
 * {@code users.yaml} does not grant the read, write or admin permission on the destination. Each
 * protocol answers it with its own "not authorized" refusal.
 */
public class NotAuthorizedException extends BrokerException {

    public NotAuthorizedException(String message) {
        super(message);
    }
}
