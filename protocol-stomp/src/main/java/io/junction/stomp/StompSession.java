package io.junction.stomp;

import io.junction.core.model.Destination;
import io.junction.core.model.Message;
import io.junction.core.spi.BrokerConnection;
import io.junction.core.spi.BrokerException;
import io.junction.core.spi.Credentials;
import io.junction.core.spi.LoginOutcome;
import io.junction.core.spi.Principal;
import io.junction.core.spi.Consumer;
import io.junction.core.spi.Delivery;
import io.junction.core.spi.ProtocolContext;
import io.junction.core.spi.ProtocolSettings;
import io.junction.core.spi.SubscriptionSpec;
import io.junction.core.spi.Transaction;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.stomp.DefaultStompFrame;
import io.netty.handler.codec.stomp.StompCommand;
import io.netty.handler.codec.stomp.StompFrame;
import io.netty.handler.codec.stomp.StompHeaders;
import io.netty.handler.timeout.IdleStateHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The state of one STOMP connection and what each client frame does to it. Runs on the channel's
 * event loop only.
 */
final class StompSession {

    private static final Logger log = LoggerFactory.getLogger(StompSession.class);
    private static final String SERVER = "Junction/" + StompSession.class.getPackage().getImplementationVersion();

    private final Channel channel;
    private final ProtocolContext context;
    private final StompFrameDecoder decoder;
    private final StompFrameEncoder encoder;
    private final String messageIdPrefix;

    private StompVersion version;
    private BrokerConnection connection;
    private StompDestinations destinations;
    private final Map<String, StompSubscription> subscriptions = new HashMap<>();
    private final Map<Integer, StompSubscription> subscriptionsByNumber = new HashMap<>();
    private final Map<String, Transaction> transactions = new HashMap<>();
    private int subscriptionCount;
    private long messageCount;
    private int sendsInFlight;
    /** Sends the broker has not yet taken before this connection stops reading. */
    private static final int MAX_SENDS_IN_FLIGHT = 256;
    private final List<Runnable> whenSendsDone = new ArrayList<>();
    private boolean closing;
    /** CONNECT was received and its login is being decided. */
    private boolean loggingIn;

    /** Fired down the pipeline once CONNECTED is out, for the handler to go on with the frames it held. */
    static final Object LOGGED_IN = new Object() {
        @Override
        public String toString() {
            return "STOMP logged in";
        }
    };

    StompSession(Channel channel, ProtocolContext context, StompFrameDecoder decoder, StompFrameEncoder encoder,
                 String messageIdPrefix) {
        this.channel = channel;
        this.context = context;
        this.decoder = decoder;
        this.encoder = encoder;
        this.messageIdPrefix = messageIdPrefix;
    }

    boolean isConnected() {
        return connection != null;
    }

    /** True while the login of CONNECT is being decided: frames that follow it must wait. */
    boolean isLoggingIn() {
        return loggingIn;
    }

    void onFrame(StompFrame frame) throws StompProtocolException {
        if (closing) {
            return;
        }
        StompCommand command = frame.command();
        try {
            if (connection == null && command != StompCommand.CONNECT && command != StompCommand.STOMP) {
                throw new StompProtocolException("not connected: the first frame must be CONNECT or STOMP, was " + command);
            }
            switch (command) {
                case CONNECT, STOMP -> connect(frame);
                case SEND -> send(frame);
                case SUBSCRIBE -> subscribe(frame);
                case UNSUBSCRIBE -> unsubscribe(frame);
                case ACK -> acknowledge(frame, true);
                case NACK -> acknowledge(frame, false);
                case BEGIN -> begin(frame);
                case COMMIT -> commit(frame);
                case ABORT -> abort(frame);
                case DISCONNECT -> disconnect(frame);
                default -> throw new StompProtocolException("unexpected command " + command + " from a client");
            }
        } catch (StompProtocolException e) {
            throw e.withReceipt(frame.headers().getAsString(StompHeaders.RECEIPT));
        } catch (BrokerException e) {
            throw new StompProtocolException(e.getMessage(), frame.headers().getAsString(StompHeaders.RECEIPT), null);
        }
    }

    // ---- commands ----

    private void connect(StompFrame frame) throws StompProtocolException, BrokerException {
        if (connection != null) {
            throw new StompProtocolException("already connected: a second " + frame.command() + " frame is not allowed");
        }
        StompHeaders headers = frame.headers();
        version = StompVersion.negotiate(headers.getAsString(StompHeaders.ACCEPT_VERSION));
        if (version == null) {
            throw new StompProtocolException("no common protocol version: supported versions are " + StompVersion.SUPPORTED)
                    .withHeader(StompHeaders.VERSION.toString(), StompVersion.SUPPORTED);
        }
        decoder.version(version);
        encoder.version(version);
        ProtocolSettings settings = context.settings();
        StompHeartbeat heartbeat = version == StompVersion.V1_0 ? StompHeartbeat.NONE
                : StompHeartbeat.negotiate(headers.getAsString(StompHeaders.HEART_BEAT),
                        settings.get(StompSettings.HEARTBEAT_MIN).toMillis());
        // Some clients send an empty login when they have none: that is an anonymous connection.
        String login = headers.getAsString(StompHeaders.LOGIN);
        Credentials credentials = Credentials.of(channel, login == null || login.isEmpty() ? null : login,
                headers.getAsString(StompHeaders.PASSCODE));
        // Nothing more is read until the login is decided; frames already read wait (see StompConnectionHandler).
        loggingIn = true;
        channel.config().setAutoRead(false);
        LoginOutcome.onEventLoop(channel, context.authenticate("stomp", credentials), (principal, refusal) -> {
            loggingIn = false;
            if (refusal != null) {
                // The ERROR frame goes out once the failed-login delay is over.
                closing = true;
                StompProtocolException error = new StompProtocolException(refusal.getMessage())
                        .withReceipt(headers.getAsString(StompHeaders.RECEIPT));
                channel.eventLoop().schedule(() -> fail(error), refusal.delayMillis(), TimeUnit.MILLISECONDS);
            } else if (!closing) {
                connected(frame, principal, heartbeat, settings);
            }
        });
    }

    /** Second half of CONNECT, once the client is known: CONNECTED, then the frames it sent behind CONNECT. */
    private void connected(StompFrame frame, Principal principal, StompHeartbeat heartbeat, ProtocolSettings settings) {
        StompHeaders headers = frame.headers();
        try {
            connection = context.openConnection("stomp", channel.remoteAddress(), headers.getAsString("client-id"),
                    principal);
        } catch (BrokerException e) {
            fail(new StompProtocolException(e.getMessage(), headers.getAsString(StompHeaders.RECEIPT), null));
            return;
        }
        destinations = new StompDestinations(connection);

        DefaultStompFrame connected = new DefaultStompFrame(StompCommand.CONNECTED);
        connected.headers().set(StompHeaders.VERSION, version.text());
        connected.headers().set(StompHeaders.SESSION, connection.id());
        connected.headers().set(StompHeaders.SERVER, SERVER);
        if (version != StompVersion.V1_0) {
            connected.headers().set(StompHeaders.HEART_BEAT, heartbeat.header());
        }
        channel.writeAndFlush(connected);
        startHeartbeats(heartbeat, settings.get(StompSettings.HEARTBEAT_GRACE_FACTOR));
        receipt(frame);
        channel.pipeline().fireUserEventTriggered(LOGGED_IN);
        channel.config().setAutoRead(true);
    }

    private void startHeartbeats(StompHeartbeat heartbeat, int gracePercent) {
        if (heartbeat.equals(StompHeartbeat.NONE)) {
            return;
        }
        long readTimeout = heartbeat.expectEveryMillis() * gracePercent / 100;
        channel.pipeline().addBefore(StompProtocolModule.DECODER, StompProtocolModule.HEARTBEAT,
                new IdleStateHandler(readTimeout, heartbeat.sendEveryMillis(), 0, TimeUnit.MILLISECONDS));
    }

    private void send(StompFrame frame) throws StompProtocolException, BrokerException {
        Destination destination = destinations.toCore(required(frame, StompHeaders.DESTINATION));
        Message message = StompMessages.fromSend(frame, destination, destinations,
                messageIdPrefix + connection.id() + "-" + (++messageCount));
        String transactionId = frame.headers().getAsString(StompHeaders.TRANSACTION);
        if (transactionId != null) {
            transaction(transactionId).send(message);
            receipt(frame);
            return;
        }
        String receipt = frame.headers().getAsString(StompHeaders.RECEIPT);
        if (++sendsInFlight == MAX_SENDS_IN_FLIGHT) {
            // Back-pressure: the broker has not taken the last sends yet (storing them, or their
            // destination is full), so stop reading until it catches up; TCP slows the producer.
            channel.config().setAutoRead(false);
        }
        connection.send(message).whenComplete((ok, failure) -> channel.eventLoop().execute(() -> {
            sendCompleted();
            if (failure != null) {
                fail(new StompProtocolException("send to " + destination + " failed: " + rootMessage(failure),
                        receipt, null));
            } else if (receipt != null) {
                writeReceipt(receipt);
            }
        }));
    }

    private void sendCompleted() {
        if (--sendsInFlight == MAX_SENDS_IN_FLIGHT / 2 && !channel.config().isAutoRead()) {
            channel.config().setAutoRead(true);
        }
        if (sendsInFlight == 0 && !whenSendsDone.isEmpty()) {
            List<Runnable> ready = new ArrayList<>(whenSendsDone);
            whenSendsDone.clear();
            ready.forEach(Runnable::run);
        }
    }

    private void subscribe(StompFrame frame) throws StompProtocolException, BrokerException {
        StompHeaders headers = frame.headers();
        String destinationText = required(frame, StompHeaders.DESTINATION);
        String id = headers.getAsString(StompHeaders.ID);
        if (id == null) {
            if (version != StompVersion.V1_0) {
                throw new StompProtocolException("SUBSCRIBE needs an id header");
            }
            id = destinationText;
        }
        if (subscriptions.containsKey(id)) {
            throw new StompProtocolException("subscription id '" + id + "' is already in use on this connection");
        }
        StompSubscription.AckMode ackMode = StompSubscription.AckMode.parse(headers.getAsString(StompHeaders.ACK));
        int prefetch = context.settings().get(StompSettings.DEFAULT_PREFETCH);
        String prefetchHeader = headers.getAsString("activemq.prefetchSize");
        if (prefetchHeader != null) {
            prefetch = positiveInt("activemq.prefetchSize", prefetchHeader);
        }
        String durableName = headers.getAsString("activemq.subscriptionName");
        if (durableName == null) {
            durableName = headers.getAsString("durable-subscription-name");
        }
        Destination destination = destinations.toCore(destinationText);
        StompSubscription subscription = new StompSubscription(id, ++subscriptionCount, ackMode, durableName, this,
                channel.eventLoop());
        SubscriptionSpec spec = new SubscriptionSpec(destination, headers.getAsString("selector"), prefetch,
                "true".equals(headers.getAsString("activemq.exclusive")), durableName);
        subscription.consumer = connection.subscribe(spec, subscription);
        subscriptions.put(id, subscription);
        subscriptionsByNumber.put(subscription.number, subscription);
        receipt(frame);
    }

    private void unsubscribe(StompFrame frame) throws StompProtocolException, BrokerException {
        StompHeaders headers = frame.headers();
        String id = headers.getAsString(StompHeaders.ID);
        if (id == null && version == StompVersion.V1_0) {
            id = headers.getAsString(StompHeaders.DESTINATION);
        }
        if (id == null) {
            throw new StompProtocolException("UNSUBSCRIBE needs an id header");
        }
        StompSubscription subscription = subscriptions.remove(id);
        String durableName = headers.getAsString("activemq.subscriptionName");
        if (durableName == null) {
            durableName = headers.getAsString("durable-subscription-name");
        }
        if (subscription == null && durableName == null) {
            throw new StompProtocolException("no subscription with id '" + id + "'");
        }
        if (subscription != null) {
            subscriptionsByNumber.remove(subscription.number);
            subscription.consumer.close();
        }
        // ActiveMQ: naming the durable subscription on UNSUBSCRIBE removes it, not just this consumer.
        if (durableName != null) {
            connection.unsubscribeDurable(durableName);
        }
        receipt(frame);
    }

    private void acknowledge(StompFrame frame, boolean positive) throws StompProtocolException {
        if (!positive && version == StompVersion.V1_0) {
            throw new StompProtocolException("NACK is not part of STOMP 1.0");
        }
        StompHeaders headers = frame.headers();
        String key;
        StompSubscription subscription;
        if (version.acksByAckHeader()) {
            key = required(frame, StompHeaders.ID);
            subscription = subscriptionOfAckId(key);
        } else {
            key = required(frame, StompHeaders.MESSAGE_ID);
            subscription = subscriptionOfMessageId(headers.getAsString(StompHeaders.SUBSCRIPTION), key);
        }
        if (subscription == null || !subscription.unacked.containsKey(key)) {
            throw new StompProtocolException(frame.command() + " for '" + key
                    + "', which is not an unacknowledged message of this connection");
        }
        String transactionId = headers.getAsString(StompHeaders.TRANSACTION);
        Transaction transaction = transactionId == null ? null : transaction(transactionId);
        Consumer consumer = subscription.consumer;
        List<CompletableFuture<Void>> durable = new ArrayList<>(1);
        if (subscription.ackMode == StompSubscription.AckMode.CLIENT) {
            // Cumulative: everything delivered on this subscription up to and including this one.
            for (Iterator<Map.Entry<String, Long>> it = subscription.unacked.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Long> entry = it.next();
                it.remove();
                settle(consumer, entry.getValue(), positive, transaction, durable);
                if (entry.getKey().equals(key)) {
                    break;
                }
            }
        } else {
            settle(consumer, subscription.unacked.remove(key), positive, transaction, durable);
        }
        String receipt = frame.headers().getAsString(StompHeaders.RECEIPT);
        if (receipt == null) {
            return;
        }
        // The receipt confirms the ack: it goes out once the ack is stored, so a crash cannot undo it.
        CompletableFuture.allOf(durable.toArray(new CompletableFuture[0])).whenComplete((ok, failure) ->
                channel.eventLoop().execute(() -> {
                    if (failure != null) {
                        fail(new StompProtocolException("acknowledgement could not be stored: "
                                + rootMessage(failure), receipt, null));
                    } else {
                        writeReceipt(receipt);
                    }
                }));
    }

    private static void settle(Consumer consumer, long deliveryId, boolean positive, Transaction transaction,
                               List<CompletableFuture<Void>> durable) {
        if (!positive) {
            consumer.nack(deliveryId);
        } else if (transaction != null) {
            consumer.ack(deliveryId, transaction);
        } else {
            durable.add(consumer.ack(deliveryId).toCompletableFuture());
        }
    }

    private StompSubscription subscriptionOfAckId(String ackId) {
        int dash = ackId.indexOf('-');
        if (dash <= 0) {
            return null;
        }
        try {
            return subscriptionsByNumber.get(Integer.parseInt(ackId.substring(0, dash)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private StompSubscription subscriptionOfMessageId(String subscriptionId, String messageId) {
        if (subscriptionId != null) {
            return subscriptions.get(subscriptionId);
        }
        for (StompSubscription s : subscriptions.values()) {
            if (s.unacked.containsKey(messageId)) {
                return s;
            }
        }
        return null;
    }

    private void begin(StompFrame frame) throws StompProtocolException {
        String id = required(frame, StompHeaders.TRANSACTION);
        if (transactions.containsKey(id)) {
            throw new StompProtocolException("transaction '" + id + "' has already begun");
        }
        transactions.put(id, connection.beginTransaction());
        receipt(frame);
    }

    private void commit(StompFrame frame) throws StompProtocolException {
        String id = required(frame, StompHeaders.TRANSACTION);
        Transaction transaction = transaction(id);
        transactions.remove(id);
        String receipt = frame.headers().getAsString(StompHeaders.RECEIPT);
        CompletionStage<Void> done = transaction.commit();
        done.whenComplete((ok, failure) -> channel.eventLoop().execute(() -> {
            if (failure != null) {
                fail(new StompProtocolException("commit of transaction '" + id + "' failed: " + rootMessage(failure),
                        receipt, null));
            } else if (receipt != null) {
                writeReceipt(receipt);
            }
        }));
    }

    private void abort(StompFrame frame) throws StompProtocolException {
        String id = required(frame, StompHeaders.TRANSACTION);
        transaction(id).rollback();
        transactions.remove(id);
        receipt(frame);
    }

    private void disconnect(StompFrame frame) {
        closing = true;
        String receipt = frame.headers().getAsString(StompHeaders.RECEIPT);
        Runnable finish = () -> {
            if (receipt != null) {
                channel.writeAndFlush(receiptFrame(receipt)).addListener(ChannelFutureListener.CLOSE);
            } else {
                channel.close();
            }
        };
        // The receipt promises that every earlier frame was processed, sends included.
        if (sendsInFlight == 0) {
            finish.run();
        } else {
            whenSendsDone.add(finish);
        }
    }

    // ---- deliveries ----

    void writeMessage(StompSubscription subscription, Delivery delivery) {
        if (subscriptions.get(subscription.id) != subscription || !channel.isActive()) {
            // Unsubscribed meanwhile: the closed consumer gives the message back to its queue.
            return;
        }
        Consumer consumer = subscription.consumer;
        if (subscription.ackMode == StompSubscription.AckMode.AUTO) {
            StompFrame frame = StompMessages.toMessageFrame(delivery, subscription.id, null, destinations);
            channel.writeAndFlush(frame).addListener(f -> {
                if (f.isSuccess()) {
                    consumer.ack(delivery.id());
                }
            });
            return;
        }
        String ackId = subscription.number + "-" + delivery.id();
        StompFrame frame = StompMessages.toMessageFrame(delivery, subscription.id,
                version.acksByAckHeader() ? ackId : null, destinations);
        String key = version.acksByAckHeader() ? ackId : frame.headers().getAsString(StompHeaders.MESSAGE_ID);
        subscription.unacked.put(key, delivery.id());
        channel.writeAndFlush(frame);
    }

    void subscriptionEnded(StompSubscription subscription, String reason) {
        if (subscriptions.remove(subscription.id, subscription)) {
            subscriptionsByNumber.remove(subscription.number);
            log.info("Subscription {} of connection {} ended by the broker: {}", subscription.id,
                    connection.id(), reason);
        }
    }

    // ---- errors and teardown ----

    /** Sends an ERROR frame and closes the connection. */
    void fail(StompProtocolException error) {
        if (!channel.isActive()) {
            return;
        }
        closing = true;
        log.warn("STOMP error for {} ({}): {}", channel.remoteAddress(),
                connection == null ? "not connected" : connection.id(), error.getMessage());
        String detail = error.detail() != null ? error.detail() : error.getMessage();
        ByteBuf body = Unpooled.copiedBuffer(detail, StandardCharsets.UTF_8);
        DefaultStompFrame frame = new DefaultStompFrame(StompCommand.ERROR, body);
        frame.headers().set("message", error.getMessage());
        frame.headers().set(StompHeaders.CONTENT_TYPE, "text/plain");
        frame.headers().setInt(StompHeaders.CONTENT_LENGTH, body.readableBytes());
        if (error.receiptId() != null) {
            frame.headers().set(StompHeaders.RECEIPT_ID, error.receiptId());
        }
        error.headers().forEach(frame.headers()::set);
        channel.writeAndFlush(frame).addListener(ChannelFutureListener.CLOSE);
    }

    void closed(String reason) {
        closing = true;
        if (connection != null) {
            connection.close(reason);
        }
    }

    void writeHeartbeat() {
        channel.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {'\n'}));
    }

    // ---- helpers ----

    private Transaction transaction(String id) throws StompProtocolException {
        Transaction transaction = transactions.get(id);
        if (transaction == null) {
            throw new StompProtocolException("no transaction '" + id + "' has begun on this connection");
        }
        return transaction;
    }

    private void receipt(StompFrame frame) {
        String receipt = frame.headers().getAsString(StompHeaders.RECEIPT);
        if (receipt != null) {
            writeReceipt(receipt);
        }
    }

    private void writeReceipt(String receipt) {
        channel.writeAndFlush(receiptFrame(receipt));
    }

    private static StompFrame receiptFrame(String receipt) {
        DefaultStompFrame frame = new DefaultStompFrame(StompCommand.RECEIPT);
        frame.headers().set(StompHeaders.RECEIPT_ID, receipt);
        return frame;
    }

    private static String required(StompFrame frame, CharSequence header) throws StompProtocolException {
        String value = frame.headers().getAsString(header);
        if (value == null) {
            throw new StompProtocolException(frame.command() + " frame is missing the required '" + header + "' header");
        }
        return value;
    }

    private static int positiveInt(String header, String value) throws StompProtocolException {
        try {
            int n = Integer.parseInt(value.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new StompProtocolException("header " + header + " must be a positive whole number, was '" + value + "'");
    }

    private static String rootMessage(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && (t instanceof java.util.concurrent.CompletionException
                || t instanceof java.util.concurrent.ExecutionException)) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }
}
