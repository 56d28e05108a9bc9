package io.junction.core.broker;

import io.junction.core.config.ExpiryAction;
import io.junction.core.config.FullPolicy;
import io.junction.core.config.PolicyValues;
import io.junction.core.model.Destination;
import io.junction.core.model.Message;
import io.junction.core.selector.Selector;
import io.junction.core.store.MessageStore;
import io.junction.core.store.PageFile;
import io.junction.core.store.QueueDefinition;
import io.junction.core.util.SerialExecutor;
import io.netty.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A queue: its waiting messages, its consumers, and what happens to a message on ack, nack, expiry
 * and redelivery. Every state change runs on the queue's own {@link SerialExecutor}; the public
 * entry points only submit tasks, so callers on event loops never wait.
 *
 * <p>A plain queue gives each message to one consumer, round-robin among those with prefetch
 * credit whose selector accepts it. A topic subscription is a queue too (see
 * {@link TopicSubscription}), with the subscriber as its only consumer.
 */
final class Queue {

    private static final Logger log = LoggerFactory.getLogger(Queue.class);
    /** A queue may always read this much back from its page file, however full the broker is. */
    private static final long MIN_PAGE_IN_WINDOW = 1024 * 1024;

    private final String name;
    /** The store's id of this durable queue, or 0 for a queue that is not stored (temporary, non-durable subscription). */
    private final long storeId;
    /** What the store keeps of this queue; null when it is not stored. */
    private final QueueDefinition definition;
    /** The last write of the definition; written again if it failed (a full disk). */
    private volatile CompletableFuture<Void> definitionStored = CompletableFuture.completedFuture(null);
    private final Destination origin;
    private final PolicyValues policy;
    private final Broker broker;
    private final SerialExecutor executor;
    /**
     * Most messages kept (0 = no limit), the oldest waiting one dropped past it; bounded queues
     * also count against the broker-wide {@link Resources#boundedMessagesFull() total}.
     */
    private final int maxMessages;
    /** The count {@code maxMessages} applies to: this queue's, or its client's queues' together. */
    private final BoundGroup bound;
    /**
     * Longest a bounded queue holds producers' answers back while its consumer takes nothing; as
     * long as the consumer keeps taking messages, the answers stay held.
     */
    static final long HOLD_LIMIT_MILLIS = 500;
    // Confined to the executor: producer answers held while the consumer is behind.
    private ArrayDeque<Runnable> heldProducers;
    private Timeout heldCheck;
    /** When the consumer last acknowledged a message (System.nanoTime); executor only. */
    private long lastProgressNanos;
    /**
     * The consumer took nothing for {@link #HOLD_LIMIT_MILLIS} while producers were held: they go
     * free, and new messages past the bound are dropped, until the consumer takes one again.
     */
    private volatile boolean stalled;
    private final boolean persistentOnlyWhileInactive;

    // Confined to the executor.
    private final PendingMessages pending = new PendingMessages();
    /** Message bytes held in memory (waiting and in flight); beyond the limit messages page to disk. */
    private long memoryBytes;
    /** Messages that arrived while the queue was over its memory limit, in order; null until needed. */
    private PageFile page;
    private boolean pageFailed;
    private final List<QueueConsumer> consumers = new ArrayList<>();
    /** Message groups and the consumer each is pinned to; null until a grouped message comes. */
    private Map<String, QueueConsumer> groupOwners;
    private int nextConsumer;
    /** Consumers of different priorities: dispatch must look for the highest with room. */
    private boolean mixedPriorities;
    private long arrivals;
    private boolean deleted;

    // Read by management and tests from any thread.
    private volatile int depth;
    private volatile int consumerCount;
    private final AtomicLong enqueued = new AtomicLong();
    private final AtomicLong dequeued = new AtomicLong();
    private volatile boolean sweepable;
    /** At or over the memory limit; producers of a BLOCK or FAIL destination are held or refused. */
    private volatile boolean full;
    private final ConcurrentLinkedQueue<Runnable> waitingForSpace = new ConcurrentLinkedQueue<>();

    /**
     * @param definition what the store keeps of the queue, or null for a queue that is not stored
     * @param origin     the destination this queue's messages were addressed to: the queue itself,
     *                   or the topic (pattern) of a subscription
     */
    Queue(String name, QueueDefinition definition, Destination origin, PolicyValues policy, Broker broker) {
        this(name, definition, origin, policy, broker, definition == null ? 0 : definition.maxMessages(),
                definition == null ? null : definition.boundGroup());
    }

    /**
     * @param maxMessages most messages kept, for a queue that is not stored; 0 for no limit
     * @param boundGroup  the queues sharing that bound (a client id), or null for this one alone
     */
    Queue(String name, QueueDefinition definition, Destination origin, PolicyValues policy, Broker broker,
          int maxMessages, String boundGroup) {
        this.maxMessages = maxMessages;
        this.bound = maxMessages > 0 ? broker.boundGroups().join(boundGroup) : null;
        this.persistentOnlyWhileInactive = definition != null && definition.persistentOnlyWhileInactive();
        this.name = name;
        this.definition = definition;
        this.storeId = definition == null ? 0 : definition.id();
        this.origin = origin;
        this.policy = policy;
        this.broker = broker;
        this.executor = broker.newSerialExecutor();
    }

    String name() {
        return name;
    }

    Broker broker() {
        return broker;
    }

    /** A durable subscription that takes only persistent messages while it has no consumer. */
    boolean persistentOnlyWhileInactive() {
        return persistentOnlyWhileInactive;
    }

    long storeId() {
        return storeId;
    }

    boolean durable() {
        return storeId != 0;
    }

    /** Writes the queue's definition to the store (a new durable queue or subscription). */
    void storeDefinition() {
        definitionStored = broker.store().addQueue(definition);
    }

    /**
     * Writes the definition again if the last write failed, so that it precedes the next stored
     * message of this queue; otherwise recovery would not know the queue those messages are in.
     */
    void ensureDefinitionStored() {
        if (definition != null && definitionStored.isCompletedExceptionally()) {
            storeDefinition();
        }
    }

    Destination origin() {
        return origin;
    }

    /**
     * Where a message read back (recovered or paged in) was addressed: for a subscription, the
     * topic it was sent to rather than the subscription's pattern.
     */
    Destination addressedTo(Message message) {
        Destination sentTo = message.destination();
        return origin.isTopic() && sentTo.isTopic() && !sentTo.isComposite() ? sentTo : origin;
    }

    PolicyValues policy() {
        return policy;
    }

    void execute(Runnable task) {
        executor.execute(task);
    }

    /** Messages waiting or in flight (delivered, not yet acknowledged). */
    int depth() {
        return depth;
    }

    int consumerCount() {
        return consumerCount;
    }

    long enqueuedCount() {
        return enqueued.get();
    }

    long dequeuedCount() {
        return dequeued.get();
    }

    boolean needsExpirySweep() {
        return sweepable;
    }

    // ---- entry points (any thread) ----

    void enqueue(Message message) {
        enqueue(message, origin);
    }

    /** @param addressedTo the topic a subscription matched the message on, for its dead-letter origin */
    void enqueue(Message message, Destination addressedTo) {
        enqueue(message, addressedTo, false, null);
    }

    /**
     * @param recovered the message was read back from the store at start-up: it may have been
     *                  delivered before the broker stopped, so it goes out marked redelivered
     * @param taken     run once the queue holds the message (in memory or paged), so a producer is
     *                  answered only as fast as queues take its messages in; may be null
     */
    void enqueue(Message message, Destination addressedTo, boolean recovered, Runnable taken) {
        enqueued.incrementAndGet();
        executor.execute(() -> {
            Runnable answer = taken;
            try {
                take(message, addressedTo, recovered);
                if (answer != null && holdsProducers()) {
                    holdProducer(answer);
                    answer = null;
                }
            } finally {
                if (answer != null) {
                    answer.run();
                }
            }
        });
    }

    private void take(Message message, Destination addressedTo, boolean recovered) {
        {
            if (deleted) {
                return;
            }
            depth++;
            if (maxMessages > 0) {
                bound.messages.incrementAndGet();
                broker.resources().boundedMessagesChanged(1);
            }
            long size = sizeOf(message);
            if (policy.fullPolicy() == FullPolicy.PAGE && (paging() || overLimit(size)) && pageOut(message, recovered)) {
                dropOverCount();
                updateStats();
                return;
            }
            if (policy.fullPolicy() == FullPolicy.DROP_OLDEST) {
                dropOldestToFit(size);
            }
            MessageRef ref = new MessageRef(message, addressedTo, ++arrivals);
            ref.recovered = recovered;
            hold(ref);
            dropOverCount();
            dispatch();
        }
    }

    /** True while the queue is at its memory limit (for BLOCK and FAIL destinations). */
    boolean full() {
        return full;
    }

    /** Runs the task (on this queue's executor) once the queue is below its memory limit. */
    void whenSpace(Runnable task) {
        waitingForSpace.add(task);
        executor.execute(this::releaseWaiters);
    }

    void addConsumer(QueueConsumer consumer) {
        executor.execute(() -> {
            if (deleted) {
                consumer.closedByBroker("queue " + name + " was deleted");
                return;
            }
            consumers.add(consumer);
            consumersChanged();
            progressed();
            dispatch();
        });
    }

    /**
     * The messages waiting in memory, in delivery order (priority, then arrival), that the
     * selector takes and that have not expired; nothing is removed. Messages paged to disk are
     * not included.
     */
    void browse(Selector selector, CompletableFuture<List<Message>> result) {
        executor.execute(() -> {
            long now = System.currentTimeMillis();
            List<Message> found = new ArrayList<>();
            for (MessageRef ref : pending) {
                if (!ref.message.isExpired(now)
                        && (selector == null || selector.matches(new MessageSelectorContext(ref.message)))) {
                    found.add(ref.message);
                }
            }
            result.complete(found);
        });
    }

    void sweepExpired() {
        executor.execute(() -> {
            long now = System.currentTimeMillis();
            for (Iterator<MessageRef> it = pending.iterator(); it.hasNext(); ) {
                MessageRef ref = it.next();
                if (ref.message.isExpired(now)) {
                    it.remove();
                    expire(ref);
                }
            }
            updateStats();
        });
    }

    /** Drops all messages and ends the subscriptions of its consumers. */
    void delete(String reason) {
        executor.execute(() -> {
            if (deleted) {
                return;
            }
            deleted = true;
            if (maxMessages > 0) {
                bound.messages.addAndGet(-depth);
                broker.resources().boundedMessagesChanged(-depth);
                broker.boundGroups().leave(bound);
            }
            releaseHeldProducers();
            pending.clear();
            broker.resources().memoryReleased(memoryBytes);
            memoryBytes = 0;
            closePage();
            updateStats();
            for (QueueConsumer c : consumers) {
                c.closedByBroker(reason);
            }
            consumers.clear();
            depth = 0;
            consumerCount = 0;
            sweepable = false;
        });
    }

    // ---- called on the executor by QueueConsumer and LocalTransaction ----

    /** @param durable completed once the ack is stored (or at once when nothing is stored) */
    void acknowledge(QueueConsumer consumer, long deliveryId, CompletableFuture<Void> durable) {
        MessageRef ref = consumer.removeInFlight(deliveryId);
        if (ref == null) {
            durable.complete(null);
            return;
        }
        if (!ref.transactionallyAcked) {
            consumer.released();
        }
        progressed();
        removed(ref, false);
        if (stored(ref)) {
            broker.store().acknowledge(storeId, ref.message.brokerId()).whenComplete((ok, failure) -> {
                if (failure == null) {
                    durable.complete(null);
                } else {
                    durable.completeExceptionally(failure);
                }
            });
        } else {
            durable.complete(null);
        }
        dispatch();
    }

    /** Several acks at once, their store writes not waited for; then one dispatch. */
    void acknowledgeAll(QueueConsumer consumer, long[] deliveryIds, int count) {
        for (int i = 0; i < count; i++) {
            MessageRef ref = consumer.removeInFlight(deliveryIds[i]);
            if (ref == null) {
                continue;
            }
            if (!ref.transactionallyAcked) {
                consumer.released();
            }
            progressed();
            removed(ref, true);
        }
        dispatch();
    }

    /** An ack already written with its committed transaction. */
    void acknowledgeCommitted(QueueConsumer consumer, long deliveryId) {
        MessageRef ref = consumer.removeInFlight(deliveryId);
        if (ref == null) {
            return;
        }
        if (!ref.transactionallyAcked) {
            consumer.released();
        }
        progressed();
        removed(ref, false);
        dispatch();
    }

    /** The (queue, message) pair a transactional ack must write, or null if nothing is stored. */
    MessageStore.TransactionalAck storedAck(QueueConsumer consumer, long deliveryId) {
        MessageRef ref = consumer.inFlight(deliveryId);
        return ref == null || !stored(ref) ? null : new MessageStore.TransactionalAck(storeId, ref.message.brokerId());
    }

    void transactionalAck(QueueConsumer consumer, long deliveryId) {
        MessageRef ref = consumer.inFlight(deliveryId);
        if (ref == null || ref.transactionallyAcked) {
            return;
        }
        ref.transactionallyAcked = true;
        consumer.released();
        dispatch();
    }

    /** The transaction that acknowledged it rolled back: the message is offered again. */
    void rollbackAck(QueueConsumer consumer, long deliveryId) {
        MessageRef ref = consumer.removeInFlight(deliveryId);
        if (ref == null) {
            return;
        }
        ref.transactionallyAcked = false;
        redeliver(ref, "transaction rolled back");
        dispatch();
    }

    void negativeAck(QueueConsumer consumer, long deliveryId) {
        MessageRef ref = consumer.removeInFlight(deliveryId);
        if (ref == null) {
            return;
        }
        if (!ref.transactionallyAcked) {
            consumer.released();
        }
        ref.transactionallyAcked = false;
        redeliver(ref, "negatively acknowledged");
        dispatch();
    }

    /** A consumer granted credit: it may take what waits. */
    void creditGranted() {
        dispatch();
    }

    /** A delivery the consumer refuses for good: straight to the dead-letter queue. */
    void reject(QueueConsumer consumer, long deliveryId, String why) {
        MessageRef ref = consumer.removeInFlight(deliveryId);
        if (ref == null) {
            return;
        }
        if (!ref.transactionallyAcked) {
            consumer.released();
        }
        ref.consumer = null;
        deadLetter(ref, why);
        removed(ref, true);
        dispatch();
    }

    /**
     * Removes a consumer and gives back what it held, except messages acknowledged inside a
     * still-open transaction: those stay with the consumer until the transaction ends.
     */
    void removeConsumer(QueueConsumer consumer, long[] neverSeen) {
        if (!consumers.remove(consumer)) {
            return;
        }
        consumersChanged();
        if (consumers.isEmpty()) {
            // No consumer to catch up: its producers wait no longer.
            releaseHeldProducers();
        }
        if (groupOwners != null) {
            // Its groups go to whichever consumer takes their next message.
            groupOwners.values().removeIf(owner -> owner == consumer);
        }
        for (MessageRef ref : consumer.takeUnackedInFlight()) {
            if (contains(neverSeen, ref.deliveryId)) {
                ref.consumer = null;
                pending.add(ref);
            } else {
                redeliver(ref, "consumer closed without acknowledging");
            }
        }
        dispatch();
    }

    // ---- internals ----

    private static boolean contains(long[] ids, long id) {
        for (long candidate : ids) {
            if (candidate == id) {
                return true;
            }
        }
        return false;
    }

    private void redeliver(MessageRef ref, String why) {
        ref.consumer = null;
        ref.deliveryCount++;
        if (policy.maxRedeliveries() != PolicyValues.UNLIMITED && ref.deliveryCount > policy.maxRedeliveries()) {
            deadLetter(ref, "delivery attempts exceeded max redeliveries (" + policy.maxRedeliveries()
                    + "), last: " + why);
            removed(ref, true);
            return;
        }
        long delay = policy.redeliveryDelay().toMillis();
        if (delay > 0) {
            // Still counted in depth while it waits.
            broker.timer().newTimeout(t -> executor.execute(() -> {
                if (!deleted) {
                    pending.add(ref);
                    dispatch();
                }
            }), delay, TimeUnit.MILLISECONDS);
        } else {
            pending.add(ref);
        }
    }

    private void dispatch() {
        pageIn();
        if (!consumers.isEmpty() && !pending.isEmpty()) {
            QueueConsumer exclusive = exclusiveConsumer();
            long now = System.currentTimeMillis();
            for (Iterator<MessageRef> it = pending.iterator(); it.hasNext(); ) {
                if (exclusive != null ? !exclusive.hasCredit() : !anyCredit()) {
                    break;
                }
                MessageRef ref = it.next();
                if (ref.message.isExpired(now)) {
                    it.remove();
                    expire(ref);
                    continue;
                }
                QueueConsumer target = exclusive != null
                        ? (exclusive.accepts(ref.message) ? exclusive : null)
                        : nextConsumerFor(ref.message);
                if (target != null) {
                    it.remove();
                    target.deliver(ref);
                }
            }
        }
        updateStats();
    }

    private QueueConsumer exclusiveConsumer() {
        for (QueueConsumer c : consumers) {
            if (c.exclusive()) {
                return c;
            }
        }
        return null;
    }

    private boolean anyCredit() {
        for (QueueConsumer c : consumers) {
            if (c.hasCredit()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The consumer for a message: round-robin among those with credit whose selector takes it;
     * a message of a group (JMSXGroupID) goes to the consumer that owns the group, which the
     * group's first message picks, until a message with sequence -1 closes it or the owner goes.
     */
    private QueueConsumer nextConsumerFor(Message message) {
        String group = message.groupId();
        if (group != null && groupOwners != null) {
            QueueConsumer owner = groupOwners.get(group);
            if (owner != null) {
                if (!owner.hasCredit()) {
                    return null;
                }
                if (message.groupSequence() == -1) {
                    groupOwners.remove(group);
                }
                return owner;
            }
        }
        QueueConsumer chosen = roundRobin(message);
        if (chosen != null && group != null && message.groupSequence() != -1) {
            if (groupOwners == null) {
                groupOwners = new HashMap<>();
            }
            groupOwners.put(group, chosen);
        }
        return chosen;
    }

    /**
     * Round-robin among the consumers that have room and take the message; when consumers have
     * different priorities, among those of the highest priority that have room.
     */
    private QueueConsumer roundRobin(Message message) {
        int n = consumers.size();
        QueueConsumer chosen = null;
        int chosenIndex = -1;
        for (int i = 0; i < n; i++) {
            int index = (nextConsumer + i) % n;
            QueueConsumer c = consumers.get(index);
            if ((chosen == null || c.priority() > chosen.priority()) && c.hasCredit() && c.accepts(message)) {
                chosen = c;
                chosenIndex = index;
                if (!mixedPriorities) {
                    break;
                }
            }
        }
        if (chosen != null) {
            nextConsumer = (chosenIndex + 1) % n;
        }
        return chosen;
    }

    private void consumersChanged() {
        consumerCount = consumers.size();
        mixedPriorities = false;
        for (QueueConsumer c : consumers) {
            mixedPriorities |= c.priority() != consumers.get(0).priority();
        }
    }

    private void expire(MessageRef ref) {
        if (policy.expiry() == ExpiryAction.EXPIRY_QUEUE
                && !policy.expiryQueue().equals(name)) {
            Message moved = ref.message.toBuilder()
                    .destination(Destination.queue(policy.expiryQueue()))
                    .expiration(0)
                    .property(Broker.PROP_ORIGINAL_DESTINATION, ref.origin.toString())
                    .property(Broker.PROP_FAILURE_CAUSE, "expired")
                    .build();
            broker.routeInternally(moved, policy.expiryQueue());
        } else {
            log.debug("Expired message {} dropped from {}", ref.message.messageId(), name);
        }
        removed(ref, true);
    }

    private void deadLetter(MessageRef ref, String reason) {
        String target = policy.deadLetterQueueFor(ref.origin.name());
        if (target.equals(name)) {
            log.warn("Message {} failed in dead-letter queue {} and is dropped: {}", ref.message.messageId(), name, reason);
            return;
        }
        // A dead letter is kept for inspection: it no longer expires.
        Message dead = ref.message.toBuilder()
                .destination(Destination.queue(target))
                .expiration(0)
                .property(Broker.PROP_ORIGINAL_DESTINATION, ref.origin.toString())
                .property(Broker.PROP_FAILURE_CAUSE, reason)
                .build();
        broker.routeInternally(dead, target);
    }

    /** The message left the queue for good; the store forgets this queue's reference to it. */
    private void removed(MessageRef ref, boolean store) {
        depth--;
        if (maxMessages > 0) {
            bound.messages.decrementAndGet();
            broker.resources().boundedMessagesChanged(-1);
            if (heldProducers != null && bound.messages.get() <= maxMessages) {
                releaseHeldProducers();
            }
        }
        dequeued.incrementAndGet();
        long size = sizeOf(ref.message);
        memoryBytes -= size;
        broker.resources().memoryReleased(size);
        if (store && stored(ref)) {
            broker.store().acknowledge(storeId, ref.message.brokerId());
        }
    }

    private boolean stored(MessageRef ref) {
        return storeId != 0 && ref.message.persistent();
    }

    private void updateStats() {
        sweepable = pending.hasExpiring();
        full = memoryBytes >= policy.memoryLimit();
        if (!full && !waitingForSpace.isEmpty()) {
            releaseWaiters();
        }
    }

    private void releaseWaiters() {
        for (Runnable waiting; !full && (waiting = waitingForSpace.poll()) != null; ) {
            waiting.run();
        }
    }

    // ---- memory and paging ----

    /** What a message costs in memory: its body and a fixed allowance for headers and objects. */
    static long sizeOf(Message message) {
        return message.body().length + 256L;
    }

    private void hold(MessageRef ref) {
        long size = sizeOf(ref.message);
        memoryBytes += size;
        broker.resources().memoryTaken(size);
        pending.add(ref);
    }

    private boolean paging() {
        return page != null && !page.isEmpty();
    }

    private boolean overLimit(long size) {
        return memoryBytes + size > policy.memoryLimit() || broker.resources().memoryFull();
    }

    /** Appends to the page file; false (keep it in memory) if the disk refuses. */
    private boolean pageOut(Message message, boolean redelivered) {
        if (pageFailed) {
            return false;
        }
        try {
            if (page == null) {
                page = new PageFile(broker.resources().pagingDirectoryFor(name));
            }
            long before = page.diskBytes();
            page.append(message, redelivered);
            broker.resources().pagedBytesChanged(page.diskBytes() - before);
            return true;
        } catch (IOException e) {
            pageFailed = true;
            log.error("Queue {} cannot page to disk; it keeps messages in memory from now on", name, e);
            return false;
        }
    }

    /**
     * Reads paged messages back while the queue has room: below half its limit, and (unless it is
     * nearly empty, so that its consumers never starve) while the broker as a whole has memory.
     */
    private void pageIn() {
        while (paging() && memoryBytes < policy.memoryLimit() / 2
                && (memoryBytes < MIN_PAGE_IN_WINDOW || !broker.resources().memoryNearlyFull())) {
            try {
                long before = page.diskBytes();
                PageFile.Paged paged = page.next();
                broker.resources().pagedBytesChanged(page.diskBytes() - before);
                MessageRef ref = new MessageRef(paged.message(), addressedTo(paged.message()), ++arrivals);
                ref.recovered = paged.redelivered();
                hold(ref);
            } catch (IOException e) {
                log.error("Queue {} cannot read its page file; {} paged messages are lost", name, page.count(), e);
                depth -= (int) page.count();
                if (maxMessages > 0) {
                    bound.messages.addAndGet((int) -page.count());
                    broker.resources().boundedMessagesChanged(-page.count());
                }
                closePage();
                return;
            }
        }
    }

    /**
     * Whether a bounded queue is full (or bounded queues together are): routing then drops what
     * would arrive, as MQTT brokers drop new messages for a client whose queue is full. That is
     * at its bound when it has no consumer or its consumer is {@link #stalled}. A queue whose
     * consumer keeps taking messages is never full by its own count: past its bound it slows its
     * producers instead (see {@link #holdsProducers()}), and it grows past the bound only by what
     * those producers had sent before they stopped.
     */
    boolean atCapacity() {
        if (maxMessages == 0) {
            return false;
        }
        if (broker.resources().boundedMessagesFull()) {
            return true;
        }
        return (consumerCount == 0 || stalled) && bound.messages.get() >= maxMessages;
    }

    /**
     * A bounded queue whose consumer is behind holds back the answers to producers (so their
     * connections stop reading) until it is back under its bound. It holds them as long as its
     * consumer keeps acknowledging; once the consumer has taken nothing for
     * {@link #HOLD_LIMIT_MILLIS}, it lets them go and drops instead (see {@link #atCapacity()}).
     */
    private boolean holdsProducers() {
        return maxMessages > 0 && consumerCount > 0 && !stalled && bound.messages.get() > maxMessages;
    }

    private void holdProducer(Runnable answer) {
        if (heldProducers == null) {
            heldProducers = new ArrayDeque<>();
        }
        heldProducers.add(answer);
        if (heldCheck == null) {
            scheduleHeldCheck(HOLD_LIMIT_MILLIS);
        }
    }

    /** The consumer took a message: producers held stay held, and the queue no longer drops. */
    private void progressed() {
        if (maxMessages > 0) {
            lastProgressNanos = System.nanoTime();
            // Read before writing: a volatile store on every acknowledgement would cost a fence each.
            if (stalled) {
                stalled = false;
            }
        }
    }

    private void scheduleHeldCheck(long delayMillis) {
        heldCheck = broker.timer().newTimeout(t -> executor.execute(this::checkHeldProducers),
                delayMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Held producers go free once the consumer has taken nothing for the hold limit; otherwise
     * they are checked again when the limit would be reached counting from its last progress.
     */
    private void checkHeldProducers() {
        heldCheck = null;
        if (heldProducers == null || heldProducers.isEmpty()) {
            return;
        }
        long idleMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastProgressNanos);
        if (idleMillis >= HOLD_LIMIT_MILLIS) {
            stalled = true;
            log.debug("Queue {}: its consumer took nothing for {} ms; its producers go on and new messages past "
                    + "its bound of {} are dropped", name, idleMillis, maxMessages);
            releaseHeldProducers();
        } else {
            scheduleHeldCheck(HOLD_LIMIT_MILLIS - idleMillis);
        }
    }

    /**
     * Answers all held producers at once: releasing them one by one would free none, as a
     * connection resumes reading only when most of its sends are answered.
     */
    private void releaseHeldProducers() {
        if (heldProducers == null) {
            return;
        }
        ArrayDeque<Runnable> held = heldProducers;
        heldProducers = null;
        held.forEach(Runnable::run);
    }

    /**
     * Keeps a queue with no consumer within its bound when messages routed at the same moment
     * overshoot it ({@link #atCapacity()} is checked before they arrive), by dropping the oldest
     * waiting, and bounded queues together within the broker-wide total. A queue with a consumer
     * keeps what it admitted: routing already drops new messages when it is full.
     */
    private void dropOverCount() {
        if (maxMessages == 0) {
            return;
        }
        while ((consumerCount == 0 && bound.messages.get() > maxMessages || broker.resources().boundedMessagesFull())
                && !pending.isEmpty()) {
            MessageRef oldest = pending.removeOldest();
            log.debug("Queue {} holds its maximum of {} messages; dropping its oldest, {}", name, maxMessages,
                    oldest.message.messageId());
            broker.dropped();
            removed(oldest, true);
        }
    }

    private void dropOldestToFit(long size) {
        while (memoryBytes + size > policy.memoryLimit() && !pending.isEmpty()) {
            MessageRef oldest = pending.removeOldest();
            log.debug("Queue {} is full; dropping its oldest message {}", name, oldest.message.messageId());
            removed(oldest, true);
        }
    }

    private void closePage() {
        if (page != null) {
            try {
                long bytes = page.diskBytes();
                page.close();
                broker.resources().pagedBytesChanged(-bytes);
            } catch (IOException e) {
                log.warn("Queue {}: removing its page files failed", name, e);
            }
            page = null;
        }
    }
}
