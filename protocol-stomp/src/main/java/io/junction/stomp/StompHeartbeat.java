package io.junction.stomp;

/**
 * Heart-beat negotiation (STOMP 1.1 section "Heart-beating"). The client offers
 * {@code heart-beat:cx,cy}: it can send every cx ms, and wants to receive every cy ms. We answer
 * {@code sx,sy} agreeing to both (raised to our minimum), so we send every {@code sx} and expect
 * something from the client every {@code sy}; 0 turns a direction off.
 */
record StompHeartbeat(long sendEveryMillis, long expectEveryMillis) {

    static final StompHeartbeat NONE = new StompHeartbeat(0, 0);

    static StompHeartbeat negotiate(String header, long minimumMillis) throws StompProtocolException {
        if (header == null || header.isBlank()) {
            return NONE;
        }
        String[] parts = header.split(",");
        if (parts.length != 2) {
            throw new StompProtocolException("heart-beat header must be two numbers 'cx,cy', was '" + header + "'");
        }
        long clientSends = parse(parts[0], header);
        long clientWants = parse(parts[1], header);
        return new StompHeartbeat(clientWants == 0 ? 0 : Math.max(clientWants, minimumMillis),
                clientSends == 0 ? 0 : Math.max(clientSends, minimumMillis));
    }

    private static long parse(String part, String header) throws StompProtocolException {
        try {
            long value = Long.parseLong(part.trim());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new StompProtocolException("heart-beat header must be two non-negative numbers 'cx,cy', was '" + header + "'");
    }

    /** The CONNECTED header value, from the server's side: {@code sx,sy}. */
    String header() {
        return sendEveryMillis + "," + expectEveryMillis;
    }
}
