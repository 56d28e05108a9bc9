package io.junction.interop.amqp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
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
    private static final Path DRIVER = Path.of("src/test/python/amqp_driver.py");
    private static final String PYTHON = "/usr/bin/python3";
    private static final Map<String, Object> END = Map.of();
    private static final int STDERR_KEPT = 4000;

    private final Process process;
    private final Writer commands;
    private final BlockingQueue<Map<String, Object>> outcomes = new LinkedBlockingQueue<>();
    private final StringBuilder stderr = new StringBuilder();
    private int sequence;

    private ProtonPy(String url) throws IOException {
        if (!Files.isRegularFile(DRIVER)) {
            throw new IllegalStateException(DRIVER.toAbsolutePath() + " not found: run the tests from the module directory");
        }
        process = new ProcessBuilder(PYTHON, DRIVER.toString(), url).start();
        commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        daemon("proton-outcomes", () -> readOutcomes(process.getInputStream()));
        daemon("proton-stderr", () -> readStderr(process.getErrorStream()));
    }

    /** Starts the driver; it connects with its first link. */
    static ProtonPy start(int port) {
        try {
            return new ProtonPy("amqp://127.0.0.1:" + port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + PYTHON + " " + DRIVER, e);
        }
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
        try {
            commands.write(JsonLines.write(numbered) + "\n");
            commands.flush();
        } catch (IOException e) {
            throw new AssertionError("cannot write to amqp_driver.py (" + e + "); stderr: " + stderrText(), e);
        }
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                Map<String, Object> outcome = left > 0 ? outcomes.poll(left, TimeUnit.NANOSECONDS) : null;
                if (outcome == null || outcome == END) {
                    throw new AssertionError("no outcome of " + command + " within " + TIMEOUT.toSeconds() + " s"
                            + (outcome == END ? " (amqp_driver.py ended)" : "") + "; stderr: " + stderrText());
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

    private void readOutcomes(InputStream in) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                outcomes.add(JsonLines.parseObject(line));
            }
        } catch (IOException | IllegalArgumentException e) {
            appendStderr("outcome reader: " + e + "\n");
        } finally {
            outcomes.add(END);
        }
    }

    private void readStderr(InputStream in) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                appendStderr(line + "\n");
            }
        } catch (IOException ignored) {
            // the process is gone
        }
    }

    private void appendStderr(String text) {
        synchronized (stderr) {
            stderr.append(text);
            if (stderr.length() > STDERR_KEPT) {
                stderr.delete(0, stderr.length() - STDERR_KEPT);
            }
        }
    }

    private String stderrText() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
