package io.junction.core.broker;

import io.junction.core.store.MessageStore;
import io.junction.core.store.PageFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What all queues share and must not exhaust: message memory, measured against the broker-wide
 * limit, and disk (journal plus page files), measured against the disk usage limit. Thread-safe.
 */
final class Resources {

    private final Limits limits;
    private final MessageStore store;
    private final AtomicLong memoryUsed = new AtomicLong();
    private final AtomicLong pagedBytes = new AtomicLong();
    private final AtomicLong pageDirectories = new AtomicLong();
    /** Messages held by queues with a message count bound (subscriptions of absent MQTT sessions). */
    private final AtomicLong boundedMessages = new AtomicLong();
    private volatile long maxBoundedMessages;
    /** Persistent sends held while the disk usage limit is reached (diskFullPolicy: block). */
    private final ConcurrentLinkedQueue<Runnable> waitingForDisk = new ConcurrentLinkedQueue<>();

    /** Clears the page files an earlier run left: paging never outlives the process. */
    Resources(Limits limits, MessageStore store) {
        this.limits = limits;
        this.store = store;
        try {
            PageFile.clear(limits.pagingDirectory());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear the paging directory " + limits.pagingDirectory(), e);
        }
    }

    Limits limits() {
        return limits;
    }

    // ---- bounded queues ----

    void boundedMessagesChanged(long delta) {
        boundedMessages.addAndGet(delta);
    }

    /** Sets how many messages bounded queues may hold together; 0 for no limit. */
    void maxBoundedMessages(long total) {
        maxBoundedMessages = total;
    }

    /** Over the broker-wide total of messages that bounded queues may hold together. */
    boolean boundedMessagesFull() {
        long total = maxBoundedMessages;
        return total > 0 && boundedMessages.get() > total;
    }

    long boundedMessages() {
        return boundedMessages.get();
    }

    // ---- memory ----

    void memoryTaken(long bytes) {
        memoryUsed.addAndGet(bytes);
    }

    void memoryReleased(long bytes) {
        memoryUsed.addAndGet(-bytes);
    }

    long memoryUsed() {
        return memoryUsed.get();
    }

    boolean memoryFull() {
        return memoryUsed.get() >= limits.maxMemory();
    }

    /** Above three quarters of the limit: queues stop reading paged messages back. */
    boolean memoryNearlyFull() {
        return memoryUsed.get() >= limits.maxMemory() / 4 * 3;
    }

    // ---- disk ----

    void pagedBytesChanged(long delta) {
        pagedBytes.addAndGet(delta);
    }

    /** A fresh directory for one queue's page files. */
    Path pagingDirectoryFor(String queueName) {
        String safe = queueName.replaceAll("[^A-Za-z0-9._-]", "_");
        return limits.pagingDirectory().resolve(safe + "-" + pageDirectories.incrementAndGet());
    }

    boolean diskLimitReached() {
        return limits.maxDiskUsage() > 0 && store.diskUsage() + pagedBytes.get() >= limits.maxDiskUsage();
    }

    void whenDiskAvailable(Runnable task) {
        waitingForDisk.add(task);
    }

    /** Sends held for disk space go on once usage is under the limit again. */
    void releaseDiskWaiters() {
        for (Runnable waiting; !diskLimitReached() && (waiting = waitingForDisk.poll()) != null; ) {
            waiting.run();
        }
    }
}
