package io.junction.openwire;

import org.apache.activemq.command.MessageId;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The highest sequence number seen from each producer, so that a message the client sends again
 * after a failover reconnect (it resends what it had no answer for) is not routed twice. Shared by
 * every connection of the listener, as the resend arrives on a new connection; the oldest
 * producers are forgotten past {@link #MAX_PRODUCERS}. Rebuilt at start from the stored messages
 * the broker recovers, so that a message stored just before a restart, whose answer the client
 * never got, is not stored again when the client resends it; a message consumed before the
 * restart is no longer in the store, and the client's own audit is what catches its resend.
 */
final class ProducerAudit {

    static final int MAX_PRODUCERS = 65_536;

    private final Map<String, Long> highestSequence = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_PRODUCERS;
        }
    };

    /** Notes a stored message's id if it is an OpenWire one ({@code ID:<producer>:<sequence>}). */
    void recordStored(String messageId) {
        if (messageId == null || !messageId.startsWith("ID:")) {
            return;
        }
        MessageId id;
        try {
            id = new MessageId(messageId);
        } catch (RuntimeException notOpenWire) {
            return;
        }
        isDuplicate(id);
    }

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
