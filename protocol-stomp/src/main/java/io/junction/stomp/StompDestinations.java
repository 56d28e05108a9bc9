package io.junction.stomp;

import io.junction.core.model.Destination;
import io.junction.core.model.DestinationType;
import io.junction.core.spi.BrokerConnection;
import io.junction.core.spi.NotAuthorizedException;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps STOMP destination strings to core destinations and back, following ActiveMQ:
 * {@code /queue/x}, {@code /topic/x}, a bare name is a queue, {@code /temp-queue/x} and
 * {@code /temp-topic/x} are temporary destinations of this connection, which other clients reach
 * as {@code /remote-temp-queue/<name>} (the form a reply-to header shows them). A comma-separated
 * list is a composite destination.
 */
final class StompDestinations {

    private static final String QUEUE = "/queue/";
    private static final String TOPIC = "/topic/";
    private static final String TEMP_QUEUE = "/temp-queue/";
    private static final String TEMP_TOPIC = "/temp-topic/";
    private static final String REMOTE_TEMP_QUEUE = "/remote-temp-queue/";
    private static final String REMOTE_TEMP_TOPIC = "/remote-temp-topic/";

    private final BrokerConnection connection;
    /** This connection's temporary destinations, so they map back to the name the client used. */
    private final Map<Destination, String> ownTemporaries = new ConcurrentHashMap<>();

    StompDestinations(BrokerConnection connection) {
        this.connection = connection;
    }

    Destination toCore(String stomp) throws StompProtocolException, NotAuthorizedException {
        if (stomp.indexOf(',') < 0) {
            return single(stomp.trim());
        }
        StringBuilder composite = new StringBuilder();
        DestinationType first = null;
        for (String part : stomp.split(",")) {
            Destination member = single(part.trim());
            if (first == null) {
                first = member.type();
            }
            if (composite.length() > 0) {
                composite.append(',');
            }
            composite.append(member);
        }
        return new Destination(first, composite.toString());
    }

    private Destination single(String stomp) throws StompProtocolException, NotAuthorizedException {
        if (stomp.startsWith(QUEUE)) {
            return new Destination(DestinationType.QUEUE, name(stomp, QUEUE));
        }
        if (stomp.startsWith(TOPIC)) {
            return new Destination(DestinationType.TOPIC, name(stomp, TOPIC));
        }
        if (stomp.startsWith(TEMP_QUEUE)) {
            return temporary(DestinationType.TEMP_QUEUE, stomp, TEMP_QUEUE);
        }
        if (stomp.startsWith(TEMP_TOPIC)) {
            return temporary(DestinationType.TEMP_TOPIC, stomp, TEMP_TOPIC);
        }
        if (stomp.startsWith(REMOTE_TEMP_QUEUE)) {
            return new Destination(DestinationType.TEMP_QUEUE, name(stomp, REMOTE_TEMP_QUEUE));
        }
        if (stomp.startsWith(REMOTE_TEMP_TOPIC)) {
            return new Destination(DestinationType.TEMP_TOPIC, name(stomp, REMOTE_TEMP_TOPIC));
        }
        if (stomp.isEmpty() || stomp.startsWith("/")) {
            throw new StompProtocolException("invalid destination '" + stomp
                    + "': use /queue/<name>, /topic/<name>, /temp-queue/<name>, /temp-topic/<name> or a bare queue name");
        }
        return new Destination(DestinationType.QUEUE, stomp);
    }

    private Destination temporary(DestinationType type, String stomp, String prefix)
            throws StompProtocolException, NotAuthorizedException {
        Destination destination = connection.temporaryDestination(type, name(stomp, prefix));
        ownTemporaries.putIfAbsent(destination, stomp);
        return destination;
    }

    private static String name(String stomp, String prefix) throws StompProtocolException {
        String name = stomp.substring(prefix.length());
        if (name.isEmpty()) {
            throw new StompProtocolException("destination '" + stomp + "' has no name after " + prefix);
        }
        return name;
    }

    String toStomp(Destination destination) {
        if (destination.isComposite()) {
            StringBuilder out = new StringBuilder();
            for (String part : destination.name().split(",")) {
                if (out.length() > 0) {
                    out.append(',');
                }
                out.append(toStomp(Destination.parse(part, destination.type())));
            }
            return out.toString();
        }
        return switch (destination.type()) {
            case QUEUE -> QUEUE + destination.name();
            case TOPIC -> TOPIC + destination.name();
            case TEMP_QUEUE -> ownTemporaries.getOrDefault(destination, REMOTE_TEMP_QUEUE + destination.name());
            case TEMP_TOPIC -> ownTemporaries.getOrDefault(destination, REMOTE_TEMP_TOPIC + destination.name());
        };
    }
}
