package io.junction.core.broker;

import io.junction.core.model.BodyType;
import io.junction.core.model.Destination;
import io.junction.core.model.Message;
import io.junction.core.selector.InvalidSelectorException;
import io.junction.core.selector.Selector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One JMS selector, parsed once, evaluated against a message with four properties through the
 * broker's {@link MessageSelectorContext}, a new one per evaluation as
 * {@code TopicSubscription.accepts} and the queue's consumers make it. Both selectors are true for
 * the message (checked at setup), so a compound one is evaluated to the end.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SelectorBenchmark {

    private static final Map<String, String> SELECTORS = Map.of(
            "simple", "region = 'eu'",
            "compound", "region IN ('us', 'eu') AND amount > 100.5 AND (kind LIKE 'order-%' OR JMSPriority >= 7)"
                    + " AND retries IS NULL");

    @Param({"simple", "compound"})
    public String selector;

    private Selector parsed;
    private Message message;

    @Setup
    public void parse() throws InvalidSelectorException {
        parsed = Selector.parse(SELECTORS.get(selector));
        message = Message.builder(Destination.queue("orders")).persistent(true).priority(4)
                .messageId("ID:bench-1").type("order")
                .property("region", "eu").property("amount", 250.0).property("kind", "order-created")
                .property("customer", 4711L)
                .body(BodyType.BYTES, new byte[128]).build();
        if (!evaluate()) {
            throw new IllegalStateException("selector '" + parsed + "' is false for " + message);
        }
    }

    @Benchmark
    public boolean evaluate() {
        return parsed.matches(new MessageSelectorContext(message));
    }
}
