package io.junction.interop.amqp;

import io.junction.interop.support.Json;
import io.junction.interop.support.PythonDriver;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One AMQP 1.0 connection made by python-qpid-proton (Debian's {@code python3-qpid-proton}) in a
 * child process running {@code src/test/python/amqp_driver.py}. Each command is a JSON line; the
 * driver answers each with one outcome line, which {@link #request} waits for with a deadline.
 * {@link #close()} kills the process.
 */
final class ProtonPy implements AutoCloseable {

    /** Longer than the driver's own receive timeouts, so that those are reported first. */
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Map<String, Object> END = Map.of();

    private final BlockingQueue<Map<String, Object>> outcomes = new LinkedBlockingQueue<>();
    private final PythonDriver driver;
    private int sequence;

    private ProtonPy(String url) {
        driver = new PythonDriver("amqp_driver.py", List.of(url), line -> outcomes.add(Json.parseObject(line)),
                () -> outcomes.add(END));
    }

    /** Starts the driver; it connects with its first link. */
    static ProtonPy start(int port) {
        return new ProtonPy("amqp://127.0.0.1:" + port);
    }

    /** Attaches a sending link; returns the target address the broker attached. */
    String sender(String link, String address, String settle) {
        return (String) ok(command("sender", "link", link, "address", address, "settle", settle)).get("remote_address");
    }

    /** Attaches a receiving link with one credit; returns the source address the broker attached. */
    String receiver(String link, String address, String settle) {
        return (String) ok(command("receiver", "link", link, "address", address, "settle", settle)).get("remote_address");
    }

    /** Sends a text message and waits until it is settled; returns the broker's outcome (null if pre-settled). */
    String send(String link, String body, Map<String, String> properties, Map<String, Integer> intProperties) {
        return (String) ok(command("send", "link", link, "body", body, "properties", properties,
                "int_properties", intProperties, "durable", true)).get("remote_state");
    }

    /** Receives one message within five seconds and accepts it if it came unsettled. */
    Map<String, Object> receive(String link) {
        return ok(command("receive", "link", link, "timeout", 5, "outcome", "accept"));
    }

    /** The outcome of a receive that is expected to time out (or anything else). */
    Map<String, Object> tryReceive(String link, int timeoutSeconds) {
        return request(command("receive", "link", link, "timeout", timeoutSeconds, "outcome", "accept"));
    }

    void closeConnection() {
        ok(command("close"));
    }

    static Map<String, Object> command(String op, Object... namesAndValues) {
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("op", op);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            command.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return command;
    }

    Map<String, Object> ok(Map<String, Object> command) {
        Map<String, Object> outcome = request(command);
        if (!"ok".equals(outcome.get("event"))) {
            throw new AssertionError("python-qpid-proton could not " + command.get("op") + " " + command + ": "
                    + outcome.get("error") + "\n" + outcome.get("trace"));
        }
        return outcome;
    }

    /** Writes the command and waits for its outcome line ({@code ok} or {@code failed}). */
    Map<String, Object> request(Map<String, Object> command) {
        Map<String, Object> numbered = new LinkedHashMap<>(command);
        long seq = ++sequence;
        numbered.put("seq", seq);
        driver.write(Json.write(numbered));
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                Map<String, Object> outcome = left > 0 ? outcomes.poll(left, TimeUnit.NANOSECONDS) : null;
                if (outcome == null || outcome == END) {
                    throw new AssertionError("no outcome of " + command + " within " + TIMEOUT.toSeconds() + " s"
                            + (outcome == END ? " (amqp_driver.py ended)" : "") + "; stderr: " + driver.stderr());
                }
                if (Long.valueOf(seq).equals(outcome.get("seq"))) {
                    return outcome;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        driver.close();
    }
}
