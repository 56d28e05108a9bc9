package io.junction.interop.mqtt;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code mosquitto_pub} and {@code mosquitto_sub} (package mosquitto-clients) run as child
 * processes. Every wait is bounded; {@link #close()} kills the process if it is still running.
 */
final class MosquittoCli implements AutoCloseable {

    static final String PUB = "/usr/bin/mosquitto_pub";
    static final String SUB = "/usr/bin/mosquitto_sub";
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** The end-of-output marker the reader thread puts in the queue. */
    private static final String EOF = "\u0000EOF";

    private final Process process;
    private final List<String> command;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final Thread reader;

    private MosquittoCli(List<String> command) {
        this.command = command;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        }
        reader = new Thread(this::readLines, "mosquitto-cli-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts a program with the broker's host and port first, then the arguments. */
    static MosquittoCli start(String program, MqttBroker broker, String... args) {
        // stdbuf: line-buffered output, so that each line (a message, a debug line) arrives when printed
        List<String> command = new ArrayList<>(List.of("/usr/bin/stdbuf", "-oL", program,
                "-h", "127.0.0.1", "-p", String.valueOf(broker.port())));
        command.addAll(List.of(args));
        return new MosquittoCli(command);
    }

    /** Runs mosquitto_pub to its end and fails unless it exits with 0. */
    static void pub(MqttBroker broker, String... args) throws InterruptedException {
        try (MosquittoCli pub = start(PUB, broker, args)) {
            int exit = pub.awaitExit();
            if (exit != 0) {
                throw new AssertionError(pub.command + " exited with " + exit + ": " + pub.output());
            }
        }
    }

    /**
     * Starts mosquitto_sub with {@code -d} and waits until it is subscribed; the lines it prints
     * afterwards, debug lines excepted, are the messages (formatted by the test's {@code -F}).
     */
    static MosquittoCli subscribed(MqttBroker broker, String... args) throws InterruptedException {
        List<String> all = new ArrayList<>(List.of("-d"));
        all.addAll(List.of(args));
        MosquittoCli sub = start(SUB, broker, all.toArray(String[]::new));
        try {
            sub.awaitLine(line -> line.contains("received SUBACK"));
            return sub;
        } catch (AssertionError | InterruptedException e) {
            sub.close();
            throw e;
        }
    }

    /** The next line that is not one of {@code -d}'s debug lines. */
    String awaitMessageLine() throws InterruptedException {
        return awaitLine(line -> !isDebug(line));
    }

    String awaitLine(java.util.function.Predicate<String> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null || line.equals(EOF)) {
                if (line != null) {
                    lines.add(EOF);
                }
                throw new AssertionError("no such line from " + command + "; output: " + seen);
            }
            seen.add(line);
            if (wanted.test(line)) {
                return line;
            }
        }
    }

    /** Waits for the process to end by itself; returns its exit code. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(command + " still running after " + TIMEOUT.toSeconds() + " s; output: " + output());
        }
        reader.join(TIMEOUT.toMillis());
        return process.exitValue();
    }

    /** Every line seen so far, and those not taken yet. */
    List<String> output() {
        List<String> all = new ArrayList<>(seen);
        lines.stream().filter(l -> !l.equals(EOF)).forEach(all::add);
        return all;
    }

    /** The message lines printed after those already taken (without -W's "Timed out"), once the process has ended. */
    List<String> remainingMessageLines() {
        return lines.stream().filter(l -> !l.equals(EOF) && !isDebug(l) && !l.equals("Timed out")).toList();
    }

    Process process() {
        return process;
    }

    private static boolean isDebug(String line) {
        return line.startsWith("Client ") || line.startsWith("Subscribed (mid");
    }

    private void readLines() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
            }
        } catch (IOException ignored) {
            // the process was killed
        } finally {
            lines.add(EOF);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
