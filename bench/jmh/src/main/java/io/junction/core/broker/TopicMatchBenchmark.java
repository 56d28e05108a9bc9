package io.junction.core.broker;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Publishing to one topic name against the broker's {@link TopicIndex} holding 100,000
 * subscriptions over four levels: 80,000 exact names {@code sensors.s<site>.d<device>.m<metric>}
 * (100 sites x 100 devices x 8 metrics), 10,000 patterns with {@code *} (at the device or the
 * site level) and 10,000 ending in {@code >} (after the device or the site). The published name
 * matches {@value #EXPECTED_MATCHES} of them, one of each kind (checked at setup); half the
 * wildcard patterns share its first words without matching it. In a package of broker-core's
 * because the index is package-private; the subscriptions have no queue, which matching never
 * touches.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TopicMatchBenchmark {

    static final int SUBSCRIPTIONS = 100_000;
    static final String PUBLISHED = "sensors.s17.d42.m3";
    static final int EXPECTED_MATCHES = 3;

    private final TopicIndex index = new TopicIndex();
    private int matches;
    private final Consumer<TopicSubscription> counter = subscription -> matches++;

    @Setup
    public void fill() {
        int added = 0;
        for (int i = 0; i < 80_000; i++, added++) {
            subscribe("sensors.s" + i % 100 + ".d" + i / 100 % 100 + ".m" + i / 10_000);
        }
        for (int i = 0; i < 5_000; i++, added++) {
            // one metric of every device of a site; one made-up metric of a device on every site
            subscribe("sensors.s" + i % 100 + ".*.m" + i / 100 % 50);
            subscribe("sensors.*.d" + i % 100 + ".x" + i / 100);
            added++;
        }
        for (int i = 0; i < 5_000; i++, added++) {
            subscribe("sensors.s" + i % 100 + ".d" + i / 100 % 50 + ".>");
            subscribe("sensors.s" + i % 100 + ".x" + i / 100 + ".>");
            added++;
        }
        if (added != SUBSCRIPTIONS) {
            throw new IllegalStateException(added + " subscriptions, not " + SUBSCRIPTIONS);
        }
        int found = match();
        if (found != EXPECTED_MATCHES) {
            throw new IllegalStateException(PUBLISHED + " matched " + found + " subscriptions, not " + EXPECTED_MATCHES);
        }
    }

    private void subscribe(String pattern) {
        index.add(new TopicSubscription(pattern, null, null, null, null));
    }

    /** The subscriptions matching {@link #PUBLISHED}, counted as Broker.publish visits them. */
    @Benchmark
    public int match() {
        matches = 0;
        index.match(PUBLISHED, counter);
        return matches;
    }
}
