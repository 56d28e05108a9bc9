package io.junction.openwire;

import io.junction.core.model.Destination;
import io.junction.core.model.DestinationType;
import io.junction.core.spi.BrokerConnection;
import io.junction.core.spi.BrokerException;
import io.junction.core.spi.Consumer;
import io.junction.core.spi.ConsumerCallback;
import io.junction.core.spi.Delivery;
import io.junction.core.spi.ProtocolContext;
import io.junction.core.spi.SubscriptionSpec;
import io.junction.core.spi.Transaction;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.apache.activemq.command.ActiveMQDestination;
import org.apache.activemq.command.ActiveMQMessage;
import org.apache.activemq.command.Command;
import org.apache.activemq.command.ConnectionInfo;
import org.apache.activemq.command.ConsumerId;
import org.apache.activemq.command.ConsumerInfo;
import org.apache.activemq.command.DestinationInfo;
import org.apache.activemq.command.ExceptionResponse;
import org.apache.activemq.command.KeepAliveInfo;
import org.apache.activemq.command.MessageAck;
import org.apache.activemq.command.MessageDispatch;
import org.apache.activemq.command.MessageId;
import org.apache.activemq.command.ProducerId;
import org.apache.activemq.command.RemoveInfo;
import org.apache.activemq.command.RemoveSubscriptionInfo;
import org.apache.activemq.command.Response;
import org.apache.activemq.command.ShutdownInfo;
import org.apache.activemq.command.TransactionId;
import org.apache.activemq.command.TransactionInfo;
import org.apache.activemq.command.WireFormatInfo;
import org.apache.activemq.openwire.OpenWireFormat;
import org.apache.activemq.openwire.OpenWireFormatFactory;
import org.apache.activemq.util.ByteSequence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.util.concurrent.ScheduledFuture;
import org.apache.activemq.command.MessagePull;

import java.io.DataInputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One OpenWire connection: commands unmarshalled by activemq-client's {@code OpenWireFormat}
 * (one per connection, as it caches), turned into broker calls, answered with Response or
 * ExceptionResponse where the client asks for one. Runs on the channel's event loop.
 */
final class OpenWireConnection extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(OpenWireConnection.class);
    private static final AtomicLong BROKER_PRODUCER_IDS = new AtomicLong();
    private static final String ADVISORY_PREFIX = "ActiveMQ.Advisory.";

    private final ProtocolContext context;
    private final OpenWireFormat format = (OpenWireFormat) new OpenWireFormatFactory().createWireFormat();
    private final Map<ConsumerId, OpenWireConsumer> consumers = new HashMap<>();
    private final Map<TransactionId, LocalTransaction> transactions = new HashMap<>();

    /**
     * A client transaction: the broker transaction of its sends, and its acknowledgements, held
     * until commit. On rollback the ActiveMQ client redelivers what it holds itself, so the
     * broker must not give those messages back to the queue as well.
     */
    private record LocalTransaction(Transaction broker, List<Runnable> acksOnCommit) {
    }
    /** Message ids given to dispatched messages: one producer id of the broker's per connection. */
    private final ProducerId dispatchProducer = new ProducerId("ID:junction-" + BROKER_PRODUCER_IDS.incrementAndGet()
            + ":1:1");
    private long dispatchSequence;
    private ChannelHandlerContext ctx;
    private BrokerConnection broker;

    OpenWireConnection(ProtocolContext context, int maxFrameSize) {
        this.context = context;
        format.setMaxFrameSize(maxFrameSize);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        // The client waits for the broker's wire format before it sends anything else.
        write(format.getPreferedWireFormatInfo());
        ctx.flush();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            Object command = format.unmarshal(new DataInputStream(new ByteBufInputStream(frame)));
            if (command instanceof Command c) {
                handle(c);
            }
        } catch (Exception e) {
            log.info("OpenWire connection from {} closed: {}", ctx.channel().remoteAddress(), e.toString());
            ctx.close();
        } finally {
            ReferenceCountUtil.release(frame);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (broker != null) {
            broker.close("connection closed");
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("OpenWire connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private void handle(Command command) throws Exception {
        if (command instanceof WireFormatInfo info) {
            format.renegotiateWireFormat(info);
        } else if (command instanceof ConnectionInfo info) {
            try {
                broker = context.openConnection("openwire", ctx.channel().remoteAddress(), info.getClientId());
                respond(command);
            } catch (BrokerException e) {
                fail(command, new jakarta.jms.InvalidClientIDException(e.getMessage()));
            }
        } else if (command instanceof ConsumerInfo info) {
            subscribe(info);
        } else if (command instanceof ActiveMQMessage message) {
            send(message);
        } else if (command instanceof MessageAck ack) {
            OpenWireConsumer consumer = consumers.get(ack.getConsumerId());
            LocalTransaction transaction = ack.getTransactionId() == null ? null
                    : transactions.get(ack.getTransactionId());
            if (consumer != null && transaction != null) {
                transaction.acksOnCommit().add(() -> consumer.acknowledge(ack, transaction.broker()));
            } else if (consumer != null) {
                consumer.acknowledge(ack, null);
            }
            respond(command);
        } else if (command instanceof RemoveInfo remove) {
            if (remove.getObjectId() instanceof ConsumerId id) {
                OpenWireConsumer consumer = consumers.remove(id);
                if (consumer != null) {
                    consumer.close();
                }
            }
            respond(command);
        } else if (command instanceof DestinationInfo info) {
            if (info.getOperationType() == DestinationInfo.ADD_OPERATION_TYPE && info.getDestination().isTemporary()) {
                // The client names its temporary destinations itself; the broker keeps that name.
                broker.temporaryDestinationNamed(OpenWireMessages.toCore(info.getDestination()));
            }
            respond(command);
        } else if (command instanceof RemoveSubscriptionInfo info) {
            try {
                broker.unsubscribeDurable(info.getSubscriptionName());
                respond(command);
            } catch (BrokerException e) {
                fail(command, new jakarta.jms.InvalidDestinationException(e.getMessage()));
            }
        } else if (command instanceof MessagePull pull) {
            OpenWireConsumer consumer = consumers.get(pull.getConsumerId());
            if (consumer != null) {
                consumer.pull(pull.getTimeout());
            }
        } else if (command instanceof TransactionInfo info) {
            transaction(info);
        } else if (command instanceof KeepAliveInfo) {
            if (command.isResponseRequired()) {
                write(new KeepAliveInfo());
            }
        } else if (command instanceof ShutdownInfo) {
            ctx.close();
        } else {
            respond(command);
        }
    }

    private void subscribe(ConsumerInfo info) {
        ActiveMQDestination destination = info.getDestination();
        if (destination.getPhysicalName().startsWith(ADVISORY_PREFIX)) {
            // The client watches ActiveMQ.Advisory.* by default. The broker publishes no advisories
            // yet, so the consumer is accepted and simply receives nothing.
            respond(info);
            return;
        }
        Destination target = OpenWireMessages.toCore(destination);
        if (info.isBrowser()) {
            browse(info, target);
            return;
        }
        // Prefetch 0: the client pulls each message (MessagePull); the broker's consumer is then
        // credit-based, one credit per pull, so nothing waits at a consumer that did not ask.
        boolean pulls = info.getPrefetchSize() == 0;
        int prefetch = Math.max(1, info.getPrefetchSize());
        String durable = destination.isTopic() ? info.getSubscriptionName() : null;
        OpenWireConsumer consumer = new OpenWireConsumer(info.getConsumerId(), destination);
        try {
            consumer.bind(broker.subscribe(new SubscriptionSpec(target, info.getSelector(), prefetch,
                    info.isExclusive(), durable, info.isNoLocal(), null, 0, false, pulls), consumer));
        } catch (BrokerException e) {
            fail(info, new jakarta.jms.InvalidSelectorException(e.getMessage()));
            return;
        }
        consumers.put(info.getConsumerId(), consumer);
        respond(info);
    }

    /** Local transactions: begin, one-phase commit and rollback. */
    private void transaction(TransactionInfo info) {
        TransactionId id = info.getTransactionId();
        switch (info.getType()) {
            case TransactionInfo.BEGIN -> {
                transactions.put(id, new LocalTransaction(broker.beginTransaction(), new ArrayList<>()));
                respond(info);
            }
            case TransactionInfo.COMMIT_ONE_PHASE -> {
                LocalTransaction transaction = transactions.remove(id);
                if (transaction == null) {
                    fail(info, new jakarta.jms.TransactionRolledBackException("unknown transaction " + id));
                    return;
                }
                transaction.acksOnCommit().forEach(Runnable::run);
                int commandId = info.getCommandId();
                transaction.broker().commit().whenComplete((ok, failure) -> execute(() -> {
                    if (failure == null) {
                        Response response = new Response();
                        response.setCorrelationId(commandId);
                        write(response);
                    } else {
                        ExceptionResponse response = new ExceptionResponse(
                                new jakarta.jms.TransactionRolledBackException(failure.getMessage()));
                        response.setCorrelationId(commandId);
                        write(response);
                    }
                    ctx.flush();
                }));
            }
            case TransactionInfo.ROLLBACK -> {
                LocalTransaction transaction = transactions.remove(id);
                if (transaction != null) {
                    transaction.broker().rollback();
                }
                respond(info);
            }
            case TransactionInfo.END, TransactionInfo.FORGET -> respond(info);
            default -> fail(info, new jakarta.jms.JMSException("XA transactions are not supported"));
        }
    }

    /**
     * A QueueBrowser: what the queue holds now, dispatched as copies, then an empty dispatch that
     * ends the browse.
     */
    private void browse(ConsumerInfo info, Destination queue) {
        try {
            broker.browse(queue, info.getSelector()).whenComplete((messages, failure) -> execute(() -> {
                if (messages != null) {
                    for (io.junction.core.model.Message m : messages) {
                        try {
                            ActiveMQMessage copy = OpenWireMessages.toOpenWire(m, queue,
                                    new MessageId(dispatchProducer, ++dispatchSequence));
                            MessageDispatch dispatch = new MessageDispatch();
                            dispatch.setConsumerId(info.getConsumerId());
                            dispatch.setDestination(copy.getDestination());
                            dispatch.setMessage(copy);
                            write(dispatch);
                        } catch (Exception e) {
                            log.warn("OpenWire: message {} could not be converted for a browser", m.messageId(), e);
                        }
                    }
                }
                MessageDispatch end = new MessageDispatch();
                end.setConsumerId(info.getConsumerId());
                end.setDestination(info.getDestination());
                write(end);
                ctx.flush();
            }));
            respond(info);
        } catch (BrokerException e) {
            fail(info, new jakarta.jms.InvalidDestinationException(e.getMessage()));
        }
    }

    private void send(ActiveMQMessage message) throws Exception {
        io.junction.core.model.Message core = OpenWireMessages.toCore(message);
        LocalTransaction transaction = message.getTransactionId() == null ? null
                : transactions.get(message.getTransactionId());
        if (transaction != null) {
            try {
                transaction.broker().send(core);
                respond(message);
            } catch (BrokerException e) {
                fail(message, new jakarta.jms.InvalidDestinationException(e.getMessage()));
            }
            return;
        }
        boolean answer = message.isResponseRequired();
        int commandId = message.getCommandId();
        broker.send(core).whenComplete((ok, failure) -> execute(() -> {
            if (!answer) {
                return;
            }
            if (failure == null) {
                Response response = new Response();
                response.setCorrelationId(commandId);
                write(response);
            } else {
                ExceptionResponse response = new ExceptionResponse(new jakarta.jms.JMSException(
                        failure.getMessage()));
                response.setCorrelationId(commandId);
                write(response);
            }
            ctx.flush();
        }));
    }

    private void respond(Command command) {
        if (command.isResponseRequired()) {
            Response response = new Response();
            response.setCorrelationId(command.getCommandId());
            write(response);
        }
    }

    private void fail(Command command, Throwable error) {
        log.info("OpenWire connection from {}: {} refused: {}", ctx.channel().remoteAddress(),
                command.getClass().getSimpleName(), error.getMessage());
        ExceptionResponse response = new ExceptionResponse(error);
        response.setCorrelationId(command.getCommandId());
        write(response);
    }

    private void write(Object command) {
        try {
            ByteSequence bytes = format.marshal(command);
            ctx.write(Unpooled.wrappedBuffer(bytes.getData(), bytes.getOffset(), bytes.getLength()), ctx.voidPromise());
        } catch (Exception e) {
            log.warn("OpenWire connection from {}: cannot marshal {}", ctx.channel().remoteAddress(), command, e);
            ctx.close();
        }
    }

    private void execute(Runnable task) {
        if (ctx.executor().inEventLoop()) {
            task.run();
            return;
        }
        try {
            ctx.executor().execute(task);
        } catch (RejectedExecutionException e) {
            // The connection is gone; its consumers return what they held.
        }
    }

    /** A client consumer bound to a broker subscription; acks map message ids to deliveries. */
    private final class OpenWireConsumer implements ConsumerCallback {

        private final ConsumerId id;
        private final ActiveMQDestination destination;
        private final Map<MessageId, Long> unacknowledged = new LinkedHashMap<>();
        /** Pulls waiting for a message, oldest first: each cancels its timeout when served. */
        private final ArrayDeque<Runnable> pulls = new ArrayDeque<>();
        private Consumer consumer;
        private boolean closed;

        OpenWireConsumer(ConsumerId id, ActiveMQDestination destination) {
            this.id = id;
            this.destination = destination;
        }

        /**
         * The client asks for one message: one credit to the broker; with a timeout, an empty
         * dispatch tells the client when none came in time.
         */
        void pull(long timeout) {
            consumer.addCredit(1);
            if (timeout > 0) {
                ScheduledFuture<?> expiry = ctx.executor().schedule(this::pullExpired, timeout, TimeUnit.MILLISECONDS);
                pulls.add(() -> expiry.cancel(false));
            } else {
                pulls.add(() -> { });
            }
        }

        private void pullExpired() {
            if (closed || pulls.isEmpty()) {
                return;
            }
            pulls.poll();
            MessageDispatch empty = new MessageDispatch();
            empty.setConsumerId(id);
            empty.setDestination(destination);
            write(empty);
            ctx.flush();
        }

        void bind(Consumer consumer) {
            this.consumer = consumer;
        }

        @Override
        public void deliver(Delivery delivery) {
            execute(() -> {
                if (closed) {
                    return;
                }
                try {
                    Runnable servedPull = pulls.poll();
                    if (servedPull != null) {
                        servedPull.run();
                    }
                    MessageId messageId = new MessageId(dispatchProducer, ++dispatchSequence);
                    ActiveMQMessage message = OpenWireMessages.toOpenWire(delivery.message(), delivery.destination(),
                            messageId);
                    message.setRedeliveryCounter(delivery.deliveryCount());
                    unacknowledged.put(messageId, delivery.id());
                    MessageDispatch dispatch = new MessageDispatch();
                    dispatch.setConsumerId(id);
                    dispatch.setDestination(message.getDestination());
                    dispatch.setMessage(message);
                    dispatch.setRedeliveryCounter(delivery.deliveryCount());
                    write(dispatch);
                    ctx.flush();
                } catch (Exception e) {
                    log.warn("OpenWire: message {} could not be converted; it is given back",
                            delivery.message().messageId(), e);
                    consumer.nack(delivery.id());
                }
            });
        }

        @Override
        public void closedByBroker(String reason) {
            execute(() -> closed = true);
        }

        /**
         * Standard and individual acks remove messages (with the transaction when they name one);
         * poison acks dead-letter; delivered acks only note receipt.
         */
        void acknowledge(MessageAck ack, Transaction transaction) {
            switch (ack.getAckType()) {
                case MessageAck.STANDARD_ACK_TYPE -> {
                    // Everything dispatched up to the last id named.
                    for (Iterator<Map.Entry<MessageId, Long>> it = unacknowledged.entrySet().iterator();
                         it.hasNext(); ) {
                        Map.Entry<MessageId, Long> e = it.next();
                        it.remove();
                        ack(e.getValue(), transaction);
                        if (e.getKey().equals(ack.getLastMessageId())) {
                            break;
                        }
                    }
                }
                case MessageAck.INDIVIDUAL_ACK_TYPE -> {
                    Long delivery = unacknowledged.remove(ack.getLastMessageId());
                    if (delivery != null) {
                        ack(delivery, transaction);
                    }
                }
                case MessageAck.POISON_ACK_TYPE -> {
                    Long delivery = unacknowledged.remove(ack.getLastMessageId());
                    if (delivery != null) {
                        consumer.reject(delivery, ack.getPoisonCause() != null ? ack.getPoisonCause().getMessage()
                                : "poison acknowledgement");
                    }
                }
                default -> {
                }
            }
        }

        private void ack(long delivery, Transaction transaction) {
            if (transaction != null) {
                consumer.ack(delivery, transaction);
            } else {
                consumer.ack(delivery);
            }
        }

        void close() {
            closed = true;
            unacknowledged.clear();
            consumer.close();
        }
    }
}
