package io.junction.core.broker;

import io.junction.core.config.DiskFullPolicy;
import io.junction.core.config.MemoryConfig;
import io.junction.core.model.Message;
import io.junction.core.schedule.Schedule;
import io.junction.core.schedule.ScheduleState;
import io.junction.core.spi.BrokerException;
import io.junction.core.store.MessageStore;
import io.junction.core.util.SerialExecutor;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Holds scheduled messages ({@link Schedule}) until their deliveries are due, then sends each
 * delivery through the broker's routing as a new message.
 *
 * <p>A persistent scheduled message is stored before its send is acknowledged, and each delivery is
 * stored together with where the schedule stands after it, so a restart goes on where it stopped
 * (and delivers at once what fell due while the broker was down). Only the schedule's metadata (a
 * hundred-odd bytes) stays in memory; the message is read back from the store when a delivery is
 * due. A non-persistent one is held in memory only, and its bytes count against the broker's
 * memory limit. At most {@code memory.maxScheduledMessages} schedules wait at once; past that,
 * scheduled sends are refused.
 *
 * <p>One timer is armed, for the earliest due delivery, rather than one per message. The state is
 * confined to a serial executor on the dispatch pool; the timer thread only hands over to it.
 */
final class MessageScheduler {

    /**
     * Deliveries under way at once. When many fall due together (after a restart, say), the rest
     * wait, so that only this many messages are read back from the store and held at a time.
     */
    private static final int MAX_IN_FLIGHT = 1000;
    /** The timer is re-armed at least this often, so a change of the wall clock is noticed. */
    private static final long MAX_WAIT_MILLIS = 60_000;
    private static final Logger log = LoggerFactory.getLogger(MessageScheduler.class);

    /** A schedule waiting for its next delivery; state changes only on the executor. */
    private static final class Entry {
        final long id;
        final Schedule schedule;
        /** The message of a non-persistent schedule; null for a persistent one, read from the store. */
        final Message message;
        final long heldBytes;
        ScheduleState state;

        Entry(long id, Schedule schedule, Message message, ScheduleState state) {
            this.id = id;
            this.schedule = schedule;
            this.message = message;
            this.heldBytes = message == null ? 0 : message.body().length;
            this.state = state;
        }

        boolean persistent() {
            return message == null;
        }
    }

    private final Broker broker;
    private final MessageStore store;
    private final Resources resources;
    private final Timer timer;
    private final SerialExecutor executor;
    private final Clock clock;
    private final ZoneId zone;
    private final PriorityQueue<Entry> waiting = new PriorityQueue<>(
            Comparator.comparingLong((Entry e) -> e.state.nextDelivery()).thenComparingLong(e -> e.id));
    /** Schedules accepted and not finished, counted from the send until the last delivery. */
    private final AtomicLong pending = new AtomicLong();
    private volatile long maxMessages = MemoryConfig.DEFAULT_MAX_SCHEDULED_MESSAGES;
    private Timeout armed;
    private long armedFor = Long.MAX_VALUE;
    private int inFlight;
    private volatile boolean stopped;

    MessageScheduler(Broker broker, MessageStore store, Resources resources, Timer timer, SerialExecutor executor,
                     Clock clock, ZoneId zone) {
        this.broker = broker;
        this.store = store;
        this.resources = resources;
        this.timer = timer;
        this.executor = executor;
        this.clock = clock;
        this.zone = zone;
    }

    void maxMessages(long max) {
        maxMessages = max;
    }

    /** Schedules waiting for a delivery, or being delivered. */
    long pending() {
        return pending.get();
    }

    /** Takes over the persistent schedules the store recovered. */
    void recover(List<MessageStore.RecoveredSchedule> recovered) {
        if (recovered.isEmpty()) {
            return;
        }
        pending.addAndGet(recovered.size());
        executor.execute(() -> {
            for (MessageStore.RecoveredSchedule r : recovered) {
                waiting.add(new Entry(r.id(), r.schedule(), null, r.state()));
            }
            arm();
        });
        log.info("Recovered {} scheduled messages", recovered.size());
    }

    /** Stops delivering; the broker's timer is stopped next, which drops the armed timeout. */
    void stop() {
        stopped = true;
    }

    // ---- accepting ----

    /**
     * Accepts a message with a schedule; completes once it is held (stored, if persistent). Its
     * destination is checked now, and again at each delivery.
     */
    CompletionStage<Void> schedule(Message message, Schedule schedule) {
        ScheduleState first;
        try {
            broker.validateSend(message);
            first = firstState(schedule);
        } catch (BrokerException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (!schedule.repeats() && first.nextDelivery() <= clock.millis()) {
            // Due at once and only once: nothing to hold.
            return broker.route(schedule.delivery(message, broker.nextMessageId(), 1, clock.millis()));
        }
        try {
            reserve();
            if (!message.persistent() && resources.memoryFull()) {
                pending.decrementAndGet();
                throw new BrokerException("the broker's memory limit is reached; a non-persistent scheduled message "
                        + "is held in memory, so the send is refused");
            }
        } catch (BrokerException e) {
            return CompletableFuture.failedFuture(e);
        }
        message.assignBrokerId(broker.nextMessageId());
        CompletableFuture<Void> accepted = new CompletableFuture<>();
        if (message.persistent()) {
            store(message, schedule, first, accepted);
        } else {
            Entry entry = new Entry(message.brokerId(), schedule, message, first);
            resources.memoryTaken(entry.heldBytes);
            executor.execute(() -> add(entry));
            accepted.complete(null);
        }
        return accepted;
    }

    /** The first state of a schedule sent now; refuses a cron entry too rare to wait for. */
    ScheduleState firstState(Schedule schedule) throws BrokerException {
        ScheduleState first = schedule.first(clock.millis(), zone);
        if (first == null) {
            throw new BrokerException("the cron entry '" + schedule.cron() + "' has no match in the next eight "
                    + "years; the message is not sent");
        }
        return first;
    }

    /** Counts one more waiting schedule, or refuses it past {@link #maxMessages}. */
    void reserve() throws BrokerException {
        if (pending.incrementAndGet() > maxMessages) {
            pending.decrementAndGet();
            throw new BrokerException("too many scheduled messages are waiting (the limit is " + maxMessages
                    + "); the send is refused");
        }
    }

    /** Takes a schedule whose transaction committed (and, if persistent, was stored with it). */
    void committed(Message message, Schedule schedule, ScheduleState first) {
        Entry entry = new Entry(message.brokerId(), schedule, message.persistent() ? null : message, first);
        resources.memoryTaken(entry.heldBytes);
        executor.execute(() -> add(entry));
    }

    /** Gives back what {@link #reserve()} counted, for a transaction that did not commit. */
    void released() {
        pending.decrementAndGet();
    }

    private void store(Message message, Schedule schedule, ScheduleState first, CompletableFuture<Void> accepted) {
        if (resources.diskLimitReached()) {
            if (resources.limits().diskFullPolicy() == DiskFullPolicy.FAIL) {
                pending.decrementAndGet();
                accepted.completeExceptionally(new BrokerException("the broker's disk usage limit ("
                        + resources.limits().maxDiskUsage() + " bytes) is reached; persistent send refused"));
            } else {
                resources.whenDiskAvailable(() -> store(message, schedule, first, accepted));
            }
            return;
        }
        store.addSchedule(message, schedule, first).whenComplete((ok, failure) -> {
            if (failure != null) {
                pending.decrementAndGet();
                accepted.completeExceptionally(new BrokerException("the scheduled message could not be stored: "
                        + (failure.getMessage() != null ? failure.getMessage() : failure.toString()), failure));
            } else {
                executor.execute(() -> add(new Entry(message.brokerId(), schedule, null, first)));
                accepted.complete(null);
            }
        });
    }

    // ---- delivering (on the executor) ----

    private void add(Entry entry) {
        waiting.add(entry);
        arm();
    }

    /** Arms the timer for the earliest delivery, unless it is armed for that already. */
    private void arm() {
        Entry head = waiting.peek();
        if (head == null || stopped || inFlight >= MAX_IN_FLIGHT) {
            return;
        }
        long due = head.state.nextDelivery();
        if (armed != null && !armed.isExpired() && armedFor <= due) {
            return;
        }
        if (armed != null) {
            armed.cancel();
        }
        long wait = Math.min(MAX_WAIT_MILLIS, Math.max(0, due - clock.millis()));
        armedFor = wait == MAX_WAIT_MILLIS ? clock.millis() + wait : due;
        armed = timer.newTimeout(t -> executor.execute(this::deliverDue), wait, TimeUnit.MILLISECONDS);
    }

    private void deliverDue() {
        if (stopped) {
            return;
        }
        long now = clock.millis();
        for (Entry entry; inFlight < MAX_IN_FLIGHT && (entry = waiting.peek()) != null
                && entry.state.nextDelivery() <= now; ) {
            waiting.poll();
            inFlight++;
            deliver(entry);
        }
        arm();
    }

    /** A delivery is over: the entry waits for its next one, or is done. */
    private void delivered(Entry entry, ScheduleState next) {
        inFlight--;
        if (next == null) {
            finished(entry);
        } else {
            entry.state = next;
            waiting.add(entry);
        }
        deliverDue();
    }

    /**
     * Sends the entry's due delivery, then puts the entry back for its next one. While a delivery
     * is under way (a full destination may hold it) the entry is out of the waiting queue, so a
     * schedule never has two deliveries under way.
     */
    private void deliver(Entry entry) {
        CompletionStage<Message> original = entry.persistent() ? store.loadScheduled(entry.id)
                : CompletableFuture.completedFuture(entry.message);
        original.whenComplete((message, failure) -> executor.execute(() -> {
            if (failure != null) {
                if (!stopped) {
                    log.error("Scheduled message {} could not be read from the store; its schedule is dropped "
                            + "until the broker restarts", entry.id, failure);
                }
                delivered(entry, null);
                return;
            }
            long now = clock.millis();
            ScheduleState next = entry.schedule.next(entry.state, now, zone);
            Message delivery = entry.schedule.delivery(message, entry.id, entry.state.version() + 1, now);
            ScheduledDelivery recorded = entry.persistent() ? new ScheduledDelivery(entry.id, next) : null;
            broker.routeScheduled(delivery, recorded).whenComplete((ok, error) -> executor.execute(() -> {
                if (error != null && !stopped) {
                    log.warn("Scheduled delivery of message {} to {} was refused and is skipped: {}",
                            message.messageId(), message.destination(), error.getMessage());
                    broker.dropped();
                }
                if (recorded != null && !recorded.stored) {
                    // Nothing durable took the delivery: the state is written on its own.
                    store.scheduleDelivered(entry.id, next, null, new long[0]);
                }
                delivered(entry, next);
            }));
        }));
    }

    private void finished(Entry entry) {
        pending.decrementAndGet();
        resources.memoryReleased(entry.heldBytes);
    }

    /**
     * A delivery of a persistent schedule on its way through routing: when it reaches a durable
     * queue, the routing stores it with the schedule's next state in one write
     * ({@link #store(MessageStore, Message, long[])}).
     */
    static final class ScheduledDelivery {
        private final long scheduleId;
        private final ScheduleState next;
        private volatile boolean stored;

        ScheduledDelivery(long scheduleId, ScheduleState next) {
            this.scheduleId = scheduleId;
            this.next = next;
        }

        CompletableFuture<Void> store(MessageStore store, Message delivery, long[] durableQueueIds) {
            stored = true;
            return store.scheduleDelivered(scheduleId, next, delivery, durableQueueIds);
        }
    }
}
