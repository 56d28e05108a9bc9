package io.junction.interop.durability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * What the crash tests' clients saw, by message number: what the producers sent, which sends the
 * broker acknowledged (STOMP: with a RECEIPT; JMS: the {@code send()} or {@code commit()}
 * returned), and every delivery with whether the consumer acknowledged it and whether the broker
 * confirmed that ACK with a RECEIPT. Thread-safe; the questions at the end return the offending
 * numbers in ascending order.
 */
final class CrashLedger {

    /** One MESSAGE frame as a consumer got it; its ACK state changes through the ledger. */
    static final class Delivery {
        private final boolean redelivered;
        /** Which consumer connection got it; each connection has its own. */
        private final int session;
        private boolean ackSent;
        private boolean ackConfirmed;

        private Delivery(boolean redelivered, int session) {
            this.redelivered = redelivered;
            this.session = session;
        }
    }

    private final Set<Integer> sent = new TreeSet<>();
    private final Set<Integer> receipted = new TreeSet<>();
    /** Per number, its deliveries in the order they arrived (consumers never overlap in time). */
    private final Map<Integer, List<Delivery>> deliveries = new TreeMap<>();
    private final List<String> surprises = new ArrayList<>();
    private int sessions;
    private int deliveryCount;
    private int confirmedAcks;

    synchronized void sent(int number) {
        sent.add(number);
    }

    synchronized void receipted(int number) {
        receipted.add(number);
    }

    synchronized int newSession() {
        return ++sessions;
    }

    synchronized Delivery delivered(int number, boolean redelivered, int session) {
        Delivery delivery = new Delivery(redelivered, session);
        deliveries.computeIfAbsent(number, n -> new ArrayList<>()).add(delivery);
        deliveryCount++;
        return delivery;
    }

    /** The consumer is about to write the ACK for this delivery. */
    synchronized void ackSent(Delivery delivery) {
        delivery.ackSent = true;
    }

    /** The broker answered the delivery's ACK with a RECEIPT. */
    synchronized void ackConfirmed(Delivery delivery) {
        delivery.ackConfirmed = true;
        confirmedAcks++;
    }

    /** Something a client did not expect: an ERROR frame, a stalled broker, a refused connection. */
    synchronized void surprise(String what) {
        surprises.add(what);
    }

    synchronized int receiptedCount() {
        return receipted.size();
    }

    synchronized int confirmedAckCount() {
        return confirmedAcks;
    }

    synchronized List<String> surprises() {
        return List.copyOf(surprises);
    }

    // ---- the questions ----

    /** Sends the broker acknowledged that no consumer ever got. */
    synchronized List<Integer> receiptedButNeverDelivered() {
        return receipted.stream().filter(n -> !deliveries.containsKey(n)).toList();
    }

    /** Every number delivered at least once. */
    synchronized Set<Integer> deliveredNumbers() {
        return Set.copyOf(deliveries.keySet());
    }

    synchronized List<Integer> deliveredButNeverSent() {
        return deliveries.keySet().stream().filter(n -> !sent.contains(n)).toList();
    }

    /** Delivered again after an earlier delivery's ACK had been confirmed. */
    synchronized List<Integer> deliveredAfterConfirmedAck() {
        return numbersWhere(copies -> copies.subList(0, copies.size() - 1).stream().anyMatch(c -> c.ackConfirmed));
    }

    /** A second or later delivery without {@code redelivered:true}. */
    synchronized List<Integer> redeliveredWithoutMark() {
        return numbersWhere(copies -> copies.stream().skip(1).anyMatch(copy -> !copy.redelivered));
    }

    /** Delivered twice to the same consumer connection. */
    synchronized List<Integer> deliveredTwiceInOneSession() {
        return numbersWhere(copies -> copies.stream().map(copy -> copy.session).distinct().count() < copies.size());
    }

    /** Last delivered to a consumer that never acknowledged it, and then never again: lost. */
    synchronized List<Integer> lostAfterUnacknowledgedDelivery() {
        return numbersWhere(copies -> !copies.get(copies.size() - 1).ackSent);
    }

    // ---- for failure messages ----

    /**
     * How a number fared, e.g.
     * {@code 17 [sent, receipted, delivered s1 ack confirmed, delivered s2 redelivered not acked]}.
     */
    synchronized String history(int number) {
        StringBuilder text = new StringBuilder().append(number).append(" [");
        text.append(sent.contains(number) ? "sent" : "never sent");
        text.append(receipted.contains(number) ? ", receipted" : ", no receipt");
        for (Delivery copy : deliveries.getOrDefault(number, List.of())) {
            text.append(", delivered s").append(copy.session).append(copy.redelivered ? " redelivered" : "")
                    .append(copy.ackConfirmed ? " ack confirmed" : copy.ackSent ? " ack sent" : " not acked");
        }
        return text.append(']').toString();
    }

    synchronized String summary() {
        return "sent " + sent.size() + ", receipted " + receipted.size() + ", delivered " + deliveries.size()
                + " numbers in " + deliveryCount + " deliveries over " + sessions + " consumer connections, "
                + confirmedAcks + " ACKs confirmed";
    }

    private List<Integer> numbersWhere(Predicate<List<Delivery>> offending) {
        return deliveries.entrySet().stream().filter(e -> offending.test(e.getValue())).map(Map.Entry::getKey)
                .toList();
    }
}
