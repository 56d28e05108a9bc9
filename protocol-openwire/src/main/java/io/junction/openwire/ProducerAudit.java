package io.junction.openwire;

import org.apache.activemq.command.MessageId;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The highest sequence number seen from each producer, so that a message the client sends again
 * after a failover reconnect (it resends what it had no answer for) is not routed twice. Shared by
 * every connection of the listener, as the resend arrives on a new connection; the oldest
 * producers are forgotten past {@link #MAX_PRODUCERS}.
 */
final class ProducerAudit {

    static final int MAX_PRODUCERS = 65_536;

    private final Map<String, Long> highestSequence = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_PRODUCERS;
        }
    };

    /** Records the message's sequence; true when that producer's sequence was already seen. */
    synchronized boolean isDuplicate(MessageId id) {
        if (id == null || id.getProducerId() == null) {
            return false;
        }
        String producer = id.getProducerId().toString();
        long sequence = id.getProducerSequenceId();
        Long highest = highestSequence.get(producer);
        if (highest != null && sequence <= highest) {
            return true;
        }
        highestSequence.put(producer, sequence);
        return false;
    }
}
