package io.junction.stomp;

import io.junction.core.spi.Delivery;
import io.netty.handler.codec.stomp.StompFrame;

/** The module's message mapping, opened to benchmarks in other packages. */
public final class StompConversions {

    /** Plain queue and topic names only: temporary destinations would need the connection. */
    private static final StompDestinations DESTINATIONS = new StompDestinations(null);

    private StompConversions() {
    }

    /** As {@code StompSession} maps a delivery for a subscription in auto-acknowledge mode. */
    public static StompFrame toMessageFrame(Delivery delivery, String subscriptionId) {
        return StompMessages.toMessageFrame(delivery, subscriptionId, null, DESTINATIONS);
    }
}
