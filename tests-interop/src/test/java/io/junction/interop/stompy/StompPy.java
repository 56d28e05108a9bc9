package io.junction.interop.stompy;

import io.junction.interop.support.Json;
import io.junction.interop.support.PythonDriver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One STOMP connection made by the real stomp.py library, in a child process running
 * {@code src/test/python/stomp_driver.py}. Commands are written as JSON lines; the events the
 * driver reports are kept until a test takes them with one of the {@code await} methods.
 *
 * <p>The frame methods ({@link #send}, {@link #subscribe}, {@link #ack} ...) ask for a receipt and
 * wait for it, so when one returns the broker has processed the frame; an ERROR frame meanwhile
 * fails the test with the broker's message. Every wait is bounded by {@link #TIMEOUT}.
 */
final class StompPy implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(5);
    private final PythonDriver driver;
    /** Events not yet taken by a test, in arrival order; guarded by itself. */
    private final List<StompEvent> events = new ArrayList<>();
    private boolean ended;
    private int sequence;
    private int receipts;
    private String version;

    private StompPy(int port) {
        this(List.of("127.0.0.1", String.valueOf(port)));
    }

    private StompPy(List<String> arguments) {
        driver = new PythonDriver("stomp_driver.py", arguments, this::eventLine, this::eventsEnded);
    }

    /** Starts a client that will connect over TLS, trusting the certificates of a PEM file. */
    static StompPy startTls(int port, java.nio.file.Path caCertificates) {
        return new StompPy(List.of("127.0.0.1", String.valueOf(port), caCertificates.toString()));
    }

    /** Starts a client process that has not connected yet. */
    static StompPy start(int port) {
        return new StompPy(port);
    }

    /** Starts a client and connects it with the given version, waiting for CONNECTED. */
    static StompPy connect(int port, String version) {
        return connect(port, version, Map.of());
    }

    static StompPy connect(int port, String version, Map<String, String> headers) {
        StompPy client = start(port);
        try {
            client.connect(version, headers, 0, 0);
            return client;
        } catch (RuntimeException | AssertionError e) {
            client.close();
            throw e;
        }
    }

    // ---- frames ----

    /** Sends CONNECT (stomp.py's STOMP frame for 1.1 and 1.2) and returns the CONNECTED frame. */
    StompEvent connect(String stompVersion, Map<String, String> headers, int sendEveryMillis, int receiveEveryMillis) {
        this.version = stompVersion;
        run(command("connect", "version", stompVersion, "headers", headers,
                "heartbeats", List.of(sendEveryMillis, receiveEveryMillis)));
        return awaitFrame(e -> e.is("connected"), "CONNECTED");
    }

    void send(String destination, String body) {
        send(destination, body, Map.of());
    }

    void send(String destination, String body, Map<String, String> headers) {
        withReceipt(command("send", "destination", destination, "body", body, "headers", headers));
    }

    /** Sends bytes; stomp.py adds the content-length header. */
    void sendBytes(String destination, byte[] body, Map<String, String> headers) {
        withReceipt(command("send", "destination", destination,
                "body_b64", Base64.getEncoder().encodeToString(body), "headers", headers));
    }

    void sendInTransaction(String transaction, String destination, String body) {
        withReceipt(command("send", "destination", destination, "body", body, "transaction", transaction));
    }

    void subscribe(String destination, String id) {
        subscribe(destination, id, "auto", Map.of());
    }

    void subscribe(String destination, String id, String ackMode) {
        subscribe(destination, id, ackMode, Map.of());
    }

    void subscribe(String destination, String id, String ackMode, Map<String, String> headers) {
        withReceipt(command("subscribe", "destination", destination, "id", id, "ack", ackMode, "headers", headers));
    }

    void unsubscribe(String id, Map<String, String> headers) {
        withReceipt(command("unsubscribe", "id", id, "headers", headers));
    }

    /** ACK for a received message, by its {@code ack} header (1.2) or message-id and subscription. */
    void ack(StompEvent message) {
        acknowledge("ack", message, null);
    }

    void ack(StompEvent message, String transaction) {
        acknowledge("ack", message, transaction);
    }

    void nack(StompEvent message) {
        acknowledge("nack", message, null);
    }

    private void acknowledge(String op, StompEvent message, String transaction) {
        String id = "1.2".equals(version) ? message.header("ack") : message.header("message-id");
        Map<String, Object> command = command(op, "id", id, "subscription", message.header("subscription"));
        if (transaction != null) {
            command.put("transaction", transaction);
        }
        withReceipt(command);
    }

    void begin(String transaction) {
        withReceipt(command("begin", "transaction", transaction));
    }

    void commit(String transaction) {
        withReceipt(command("commit", "transaction", transaction));
    }

    void abort(String transaction) {
        withReceipt(command("abort", "transaction", transaction));
    }

    /** DISCONNECT with a receipt; returns once the receipt came and stomp.py closed the socket. */
    void disconnect() {
        withReceipt(command("disconnect"));
        awaitEvent("disconnected");
    }

    /**
     * Sends a command and returns its outcome ({@code ok} or {@code failed}) without waiting for
     * anything from the broker, for frames whose answer a test checks itself.
     */
    StompEvent request(Map<String, Object> command) {
        Map<String, Object> numbered = new LinkedHashMap<>(command);
        int seq = ++sequence;
        numbered.put("seq", seq);
        write(Json.write(numbered));
        return await(e -> (e.is("ok") || e.is("failed")) && String.valueOf(seq).equals(e.field("seq")),
                "outcome of " + command, TIMEOUT, false);
    }

    /** Builds a command: {@code op} and then name/value pairs. */
    static Map<String, Object> command(String op, Object... namesAndValues) {
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("op", op);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            command.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return command;
    }

    private void run(Map<String, Object> command) {
        StompEvent outcome = request(command);
        if (outcome.is("failed")) {
            throw new AssertionError("stomp.py could not " + command.get("op") + ": " + outcome.field("error"));
        }
    }

    private void withReceipt(Map<String, Object> command) {
        String receipt = "rcpt-" + (++receipts);
        command.put("receipt", receipt);
        run(command);
        awaitFrame(e -> e.is("receipt") && receipt.equals(e.header("receipt-id")), "RECEIPT " + receipt);
    }

    // ---- events ----

    StompEvent awaitEvent(String type) {
        return await(e -> e.is(type), type, TIMEOUT, false);
    }

    /** The next MESSAGE; an ERROR frame instead fails the test. */
    StompEvent awaitMessage() {
        return await(e -> e.is("message"), "MESSAGE", TIMEOUT, true);
    }

    /** The next {@code count} messages, in arrival order. */
    List<StompEvent> awaitMessages(int count) {
        List<StompEvent> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            messages.add(awaitMessage());
        }
        return messages;
    }

    /** Fails if a message arrives (or is already waiting) within the window. */
    void assertNoMessage(Duration window) {
        assertNoEvent("message", window);
    }

    void assertNoEvent(String type, Duration window) {
        long deadline = System.nanoTime() + window.toNanos();
        synchronized (events) {
            while (true) {
                for (StompEvent event : events) {
                    if (event.is(type)) {
                        throw new AssertionError("unexpected " + type + " event: " + event);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                waitOnEvents(left);
            }
        }
    }

    /** Waits for a broker frame, failing at once if the broker sends an ERROR frame instead. */
    private StompEvent awaitFrame(Predicate<StompEvent> match, String what) {
        return await(match, what, TIMEOUT, true);
    }

    private StompEvent await(Predicate<StompEvent> match, String what, Duration timeout, boolean failOnError) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (events) {
            while (true) {
                for (Iterator<StompEvent> it = events.iterator(); it.hasNext(); ) {
                    StompEvent event = it.next();
                    if (match.test(event)) {
                        it.remove();
                        return event;
                    }
                    if (failOnError && event.is("error")) {
                        throw new AssertionError("broker sent ERROR while waiting for " + what + ": " + event);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || ended) {
                    throw new AssertionError("no " + what + " within " + timeout.toMillis() + " ms"
                            + (ended ? " (stomp_driver.py ended)" : "") + "; events waiting: " + pending()
                            + "; stderr: " + driver.stderr());
                }
                waitOnEvents(left);
            }
        }
    }

    private void waitOnEvents(long nanos) {
        try {
            TimeUnit.NANOSECONDS.timedWait(events, nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private List<StompEvent> pending() {
        return events.stream().filter(e -> !e.is("heartbeat")).toList();
    }

    // ---- process plumbing ----

    private void write(String line) {
        driver.write(line);
    }

    private void eventLine(String line) {
        StompEvent event = StompEvent.parse(line);
        synchronized (events) {
            events.add(event);
            events.notifyAll();
        }
    }

    private void eventsEnded() {
        synchronized (events) {
            ended = true;
            events.notifyAll();
        }
    }

    /** Kills the client process, which closes its socket if still open. */
    @Override
    public void close() {
        driver.close();
    }
}
