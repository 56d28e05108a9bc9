package io.junction.core.broker;

import io.junction.core.model.Destination;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Topic subscriptions indexed by pattern in a trie of name words, so that publishing to
 * {@code a.b.c} visits only the branches {@code a|*|>}, then {@code b|*|>}, then {@code c|*|>},
 * however many topics and subscriptions exist.
 *
 * <p>{@code *} matches exactly one word; {@code >} matches the remaining words, none included
 * ({@code a.>} matches {@code a}, as MQTT's {@code a/#} matches {@code a}). A topic whose first word
 * begins with {@code $} (such as MQTT's {@code $SYS} tree) is matched only by patterns that name
 * that first word: a leading wildcard does not reach it. Lookups take no lock (the publishing
 * event loops run them concurrently); changes are serialised.
 */
final class TopicIndex {

    private final Node root = new Node();

    synchronized void add(TopicSubscription subscription) {
        Node node = root;
        for (String word : words(subscription.pattern())) {
            node = node.children.computeIfAbsent(word, w -> new Node());
        }
        node.subscriptions.add(subscription);
    }

    synchronized void remove(TopicSubscription subscription) {
        remove(root, words(subscription.pattern()), 0, subscription);
    }

    /** True when no subscription is indexed and, since removal prunes, no branch is left over. */
    boolean isEmpty() {
        return root.children.isEmpty() && root.subscriptions.isEmpty();
    }

    /** Calls the visitor once for every subscription whose pattern matches the topic name. */
    void match(String topicName, Consumer<TopicSubscription> visitor) {
        match(root, words(topicName), 0, visitor);
    }

    private static void match(Node node, String[] words, int index, Consumer<TopicSubscription> visitor) {
        if (index == words.length) {
            node.subscriptions.forEach(visitor);
            Node rest = node.children.get(Destination.ANY_REST);
            if (rest != null) {
                rest.subscriptions.forEach(visitor);
            }
            return;
        }
        Node exact = node.children.get(words[index]);
        if (exact != null) {
            match(exact, words, index + 1, visitor);
        }
        if (index == 0 && isSystemWord(words[0])) {
            return;
        }
        Node one = node.children.get(Destination.ANY_WORD);
        if (one != null) {
            match(one, words, index + 1, visitor);
        }
        Node rest = node.children.get(Destination.ANY_REST);
        if (rest != null) {
            rest.subscriptions.forEach(visitor);
        }
    }

    /** Removes the subscription and prunes branches left empty, so retired names do not pile up. */
    private static boolean remove(Node node, String[] words, int index, TopicSubscription subscription) {
        if (index == words.length) {
            node.subscriptions.remove(subscription);
        } else {
            Node child = node.children.get(words[index]);
            if (child != null && remove(child, words, index + 1, subscription)) {
                node.children.remove(words[index]);
            }
        }
        return node.subscriptions.isEmpty() && node.children.isEmpty();
    }

    /** Whether a topic matches a pattern, by the same rules as the index. */
    static boolean matches(String[] pattern, String[] topic) {
        for (int i = 0; i < pattern.length; i++) {
            String word = pattern[i];
            if (word.equals(Destination.ANY_REST)) {
                return !(i == 0 && topic.length > 0 && isSystemWord(topic[0]));
            }
            if (i == topic.length) {
                return false;
            }
            if (word.equals(Destination.ANY_WORD)) {
                if (i == 0 && isSystemWord(topic[0])) {
                    return false;
                }
            } else if (!word.equals(topic[i])) {
                return false;
            }
        }
        return pattern.length == topic.length;
    }

    /** Whether a topic's first word makes it a system topic, out of reach of leading wildcards. */
    static boolean isSystemWord(String word) {
        return !word.isEmpty() && word.charAt(0) == '$';
    }

    static String[] words(String name) {
        int count = 1;
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) == '.') {
                count++;
            }
        }
        String[] words = new String[count];
        int start = 0;
        int w = 0;
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) == '.') {
                words[w++] = name.substring(start, i);
                start = i + 1;
            }
        }
        words[w] = name.substring(start);
        return words;
    }

    private static final class Node {
        final Map<String, Node> children = new ConcurrentHashMap<>();
        final CopyOnWriteArrayList<TopicSubscription> subscriptions = new CopyOnWriteArrayList<>();
    }
}
