package io.junction.core.broker;

import io.junction.core.model.Destination;
import io.junction.core.model.Message;
import io.junction.core.store.MessageCodec;
import io.junction.core.store.MessageStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last retained message of each topic (MQTT's retained messages, ActiveMQ's retroactive "last
 * image"): kept in memory and, whatever the message's own persistence, in the store, so that a
 * subscriber arriving later, even after a restart, is given it first.
 */
final class RetainedMessages {

    static final String STATE_NAMESPACE = "core.retained";
    private static final Logger log = LoggerFactory.getLogger(RetainedMessages.class);

    private final MessageStore store;
    private final Map<String, Message> byTopic = new ConcurrentHashMap<>();

    RetainedMessages(MessageStore store) {
        this.store = store;
    }

    void recover(Map<String, byte[]> stored) {
        stored.forEach((topic, bytes) -> {
            try {
                byTopic.put(topic, MessageCodec.fromBytes(bytes));
            } catch (RuntimeException e) {
                log.error("Retained message of topic {} cannot be read and is dropped", topic, e);
                store.removeState(STATE_NAMESPACE, topic);
            }
        });
        if (!byTopic.isEmpty()) {
            log.info("Recovered {} retained messages", byTopic.size());
        }
    }

    /**
     * Keeps the message as its topic's retained message, or forgets the topic's retained message
     * when the body is empty. Completes once the change is stored.
     */
    CompletableFuture<Void> retain(Message message) {
        String topic = message.destination().name();
        if (message.body().length == 0) {
            return byTopic.remove(topic) == null ? CompletableFuture.completedFuture(null)
                    : store.removeState(STATE_NAMESPACE, topic);
        }
        byTopic.put(topic, message);
        return store.putState(STATE_NAMESPACE, topic, MessageCodec.toBytes(message));
    }

    /** The unexpired retained messages of the topics the pattern matches. */
    List<Message> matching(String pattern) {
        long now = System.currentTimeMillis();
        List<Message> found = new ArrayList<>();
        if (!pattern.contains(Destination.ANY_WORD) && !pattern.contains(Destination.ANY_REST)) {
            Message message = byTopic.get(pattern);
            if (message != null && !message.isExpired(now)) {
                found.add(message);
            }
            return found;
        }
        String[] patternWords = TopicIndex.words(pattern);
        byTopic.forEach((topic, message) -> {
            if (!message.isExpired(now) && TopicIndex.matches(patternWords, TopicIndex.words(topic))) {
                found.add(message);
            }
        });
        return found;
    }

    int size() {
        return byTopic.size();
    }
}
