package io.junction.bench.loadgen;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** What the producers of a JMS or STOMP run sent: the count, the failures and the first failure. */
final class Sends {

    final AtomicLong sent = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicReference<Throwable> firstFailure = new AtomicReference<>();

    void failed(long messages, Throwable cause) {
        failed.addAndGet(messages);
        firstFailure.compareAndSet(null, cause);
    }

    /** The share of {@code messages} of producer {@code i} out of {@code producers}. */
    static long share(long messages, int producers, int i) {
        return messages / producers + (i < messages % producers ? 1 : 0);
    }
}
