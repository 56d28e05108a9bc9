package io.junction.openwire;

import io.junction.core.model.Destination;
import io.junction.core.model.Message;
import io.junction.core.spi.BrokerConnection;
import io.junction.core.spi.AuthenticationException;
import io.junction.core.spi.BrokerException;
import io.junction.core.spi.TooManyConnectionsException;
import io.junction.core.spi.Credentials;
import io.junction.core.spi.LoginOutcome;
import io.junction.core.spi.Principal;
import io.junction.core.spi.ConsumerCallback;
import io.junction.core.spi.ProtocolContext;
import io.junction.core.spi.SubscriptionSpec;
import io.junction.core.spi.Transaction;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.apache.activemq.command.ActiveMQDestination;
import org.apache.activemq.command.ActiveMQMessage;
import org.apache.activemq.command.BrokerId;
import org.apache.activemq.command.BrokerInfo;
import org.apache.activemq.command.Command;
import org.apache.activemq.command.ConnectionControl;
import org.apache.activemq.command.ConnectionId;
import org.apache.activemq.command.ConnectionInfo;
import org.apache.activemq.command.ConsumerControl;
import org.apache.activemq.command.ConsumerId;
import org.apache.activemq.command.ConsumerInfo;
import org.apache.activemq.command.DestinationInfo;
import org.apache.activemq.command.ExceptionResponse;
import org.apache.activemq.command.KeepAliveInfo;
import org.apache.activemq.command.MessageAck;
import org.apache.activemq.command.MessageDispatch;
import org.apache.activemq.command.MessageId;
import org.apache.activemq.command.MessagePull;
import org.apache.activemq.command.ProducerAck;
import org.apache.activemq.command.ProducerId;
import org.apache.activemq.command.ProducerInfo;
import org.apache.activemq.command.RemoveInfo;
import org.apache.activemq.command.RemoveSubscriptionInfo;
import org.apache.activemq.command.Response;
import org.apache.activemq.command.SessionId;
import org.apache.activemq.command.ShutdownInfo;
import org.apache.activemq.command.TransactionId;
import org.apache.activemq.command.TransactionInfo;
import org.apache.activemq.command.WireFormatInfo;
import org.apache.activemq.openwire.OpenWireFormat;
import org.apache.activemq.openwire.OpenWireFormatFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.DataInputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One OpenWire connection: commands unmarshalled by activemq-client's {@code OpenWireFormat}
 * (one per connection, as it caches), turned into broker calls, answered with Response or
 * ExceptionResponse where the client asks for one. Runs on the channel's event loop.
 */
final class OpenWireConnection extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(OpenWireConnection.class);
    private static final AtomicLong BROKER_PRODUCER_IDS = new AtomicLong();
    /** The longest the inactivity monitor waits before its first check, ActiveMQ's default. */
    private static final long INITIAL_DELAY_MILLIS = 10_000;
    private static final long MAX_PENDING_SEND_BYTES = 4L * 1024 * 1024;

    /**
     * A client transaction: the broker transaction of its sends, and its acknowledgements, held
     * until commit. On rollback the ActiveMQ client redelivers what it holds itself, so the
     * broker must not give those messages back to the queue as well.
     */
    private record LocalTransaction(Transaction broker, List<Runnable> acksOnCommit) {
    }

    private final OpenWireModuleState shared;
    private final ProtocolContext context;
    /** Set once the credentials were refused: nothing more is done for this client. */
    private boolean refused;
    /** Commands read while the login of ConnectionInfo is decided; null when none is. */
    private List<Command> heldDuringLogin;
    private final OpenWireFormat format = (OpenWireFormat) new OpenWireFormatFactory().createWireFormat();
    private final long maxInactivityMillis;
    private final Map<ConsumerId, OpenWireConsumer> consumers = new HashMap<>();
    private final Map<ProducerId, Integer> producerWindows = new HashMap<>();
    private final Map<TransactionId, LocalTransaction> transactions = new HashMap<>();
    private final DispatchIds dispatchIds = new DispatchIds(new ProducerId("ID:junction-"
            + BROKER_PRODUCER_IDS.incrementAndGet() + ":1:1"));
    private ChannelHandlerContext ctx;
    /** Set on the event loop; read by another connection's when it takes the client id over. */
    private volatile BrokerConnection broker;
    private ConnectionInfo connectionInfo;
    /** The negotiated inactivity duration: the connection closes after that long without input. */
    private long readCheckMillis;
    private boolean monitored;
    private long pendingSendBytes;

    OpenWireConnection(OpenWireModuleState shared, int maxFrameSize, long maxInactivityMillis) {
        this.shared = shared;
        this.context = shared.context();
        this.maxInactivityMillis = maxInactivityMillis;
        format.setMaxFrameSize(maxFrameSize);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        // The client waits for the broker's wire format before it sends anything else.
        WireFormatInfo preferred = format.getPreferedWireFormatInfo();
        preferred.setMaxInactivityDuration(maxInactivityMillis);
        // The factory's preferred info carries its own default; the client must learn the listener's
        // limit, so that it refuses a larger send itself.
        preferred.setMaxFrameSize(format.getMaxFrameSize());
        write(preferred);
        ctx.flush();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (refused) {
            frame.release();
            return;
        }
        try {
            Object command = format.unmarshal(new DataInputStream(new ByteBufInputStream(frame)));
            if (!(command instanceof Command c)) {
                throw new IllegalArgumentException("not a command: " + command);
            }
            if (heldDuringLogin != null) {
                // Read with ConnectionInfo, before reading stopped: handled in order after the login.
                heldDuringLogin.add(c);
            } else {
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
        shared.advisories().connectionClosed(this);
        if (broker != null) {
            shared.connectionClosed(connectionInfo.getClientId(), this);
            broker.close("connection closed");
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent idle) {
            if (idle.state() == io.netty.handler.timeout.IdleState.READER_IDLE) {
                log.info("OpenWire connection from {} closed: nothing received for {} ms (inactivity monitor)",
                        ctx.channel().remoteAddress(), readCheckMillis);
                ctx.close();
            } else {
                write(new KeepAliveInfo());
                ctx.flush();
            }
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            log.info("OpenWire connection from {} closed: a command larger than the listener's maxMessageSize ({} bytes): {}",
                    ctx.channel().remoteAddress(), format.getMaxFrameSize(), cause.getMessage());
        } else {
            log.info("OpenWire connection from {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
        }
        ctx.close();
    }

    private void handle(Command command) throws Exception {
        if (command instanceof WireFormatInfo info) {
            negotiate(info);
        } else if (command instanceof ConnectionInfo info) {
            connect(info);
        } else if (command instanceof KeepAliveInfo) {
            if (command.isResponseRequired()) {
                write(new KeepAliveInfo());
            }
        } else if (command instanceof ShutdownInfo) {
            ctx.close();
        } else if (command instanceof ConnectionControl) {
            // The failover transport sends one (faultTolerant) on every reconnect, before it
            // replays its ConnectionInfo; there is nothing to do for it.
            respond(command);
        } else if (broker == null) {
            fail(command, new jakarta.jms.IllegalStateException(command.getClass().getSimpleName()
                    + " before ConnectionInfo"));
            ctx.flush();
            ctx.close();
        } else if (command instanceof ActiveMQMessage message) {
            send(message);
        } else if (command instanceof MessageAck ack) {
            acknowledge(ack);
        } else if (command instanceof ConsumerInfo info) {
            subscribe(info);
        } else if (command instanceof ProducerInfo info) {
            if (info.getWindowSize() > 0) {
                producerWindows.put(info.getProducerId(), info.getWindowSize());
            }
            respond(command);
        } else if (command instanceof MessagePull pull) {
            OpenWireConsumer consumer = consumers.get(pull.getConsumerId());
            if (consumer != null) {
                consumer.pull(pull.getTimeout());
            }
        } else if (command instanceof ConsumerControl control) {
            restorePrefetch(control);
            respond(command);
        } else if (command instanceof TransactionInfo info) {
            transaction(info);
        } else if (command instanceof RemoveInfo remove) {
            remove(remove);
        } else if (command instanceof DestinationInfo info) {
            destination(info);
        } else if (command instanceof RemoveSubscriptionInfo info) {
            try {
                broker.unsubscribeDurable(info.getSubscriptionName());
                respond(command);
            } catch (BrokerException e) {
                fail(command, new jakarta.jms.InvalidDestinationException(e.getMessage()));
            }
        } else {
            // SessionInfo, ConsumerControl, FlushCommand and the like need nothing from the broker.
            respond(command);
        }
    }

    /**
     * The client's wire format: the versions and encodings agreed, then the broker's identity
     * (the client waits for it) and the inactivity monitor, at the smaller of both sides'
     * durations, 0 on either side turning it off.
     */
    private void negotiate(WireFormatInfo info) throws Exception {
        format.renegotiateWireFormat(info);
        BrokerInfo brokerInfo = new BrokerInfo();
        brokerInfo.setBrokerId(new BrokerId("junction"));
        brokerInfo.setBrokerName("junction");
        write(brokerInfo);
        readCheckMillis = Math.min(maxInactivityMillis, info.getMaxInactivityDuration());
        if (readCheckMillis > 0 && !monitored) {
            monitored = true;
            // As both ActiveMQ sides do, the checks start after the initial delay the client asked
            // for (10 s by default), so that a slow start is not taken for a dead peer.
            long initialDelay = Math.max(0, Math.min(INITIAL_DELAY_MILLIS, info.getMaxInactivityDurationInitalDelay()));
            schedule(() -> {
                if (ctx.channel().isActive()) {
                    ctx.pipeline().addBefore(ctx.name(), "openwire-idle", new IdleStateHandler(readCheckMillis,
                            Math.max(1, readCheckMillis / 3), 0, TimeUnit.MILLISECONDS));
                }
            }, initialDelay);
        }
    }

    /**
     * Registers the client. A client id in use is refused, except for a client reconnecting after a
     * failover: its old connection is presumed dead and is closed first.
     */
    private void connect(ConnectionInfo info) {
        if (broker != null) {
            fail(info, new jakarta.jms.IllegalStateException("the connection is registered already"));
            return;
        }
        // First: a client that is refused must not close the connection of the client id it names.
        // Nothing more is read until the login is decided; commands already read wait in order.
        Credentials credentials = Credentials.of(ctx.channel(), info.getUserName(), info.getPassword());
        heldDuringLogin = new ArrayList<>(2);
        ctx.channel().config().setAutoRead(false);
        LoginOutcome.onEventLoop(ctx.channel(), context.authenticate("openwire", credentials),
                (principal, refusal) -> loginDecided(info, principal, refusal));
    }

    private void loginDecided(ConnectionInfo info, Principal principal, AuthenticationException refusal) {
        List<Command> held = heldDuringLogin;
        heldDuringLogin = null;
        if (refusal != null) {
            refused = true;
            ctx.executor().schedule(() -> {
                fail(info, refusal.reason() == AuthenticationException.Reason.SERVER_BUSY
                        ? new jakarta.jms.JMSException(refusal.getMessage())
                        : new jakarta.jms.JMSSecurityException(refusal.getMessage()));
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }, refusal.delayMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        register(info, principal);
        try {
            for (Command command : held) {
                if (!ctx.channel().isActive()) {
                    break;
                }
                handle(command);
            }
        } catch (Exception e) {
            log.info("OpenWire connection from {} closed: {}", ctx.channel().remoteAddress(), e.toString());
            ctx.close();
            return;
        }
        ctx.flush();
        ctx.channel().config().setAutoRead(true);
    }

    private void register(ConnectionInfo info, Principal principal) {
        if (info.isFailoverReconnect() && info.getClientId() != null) {
            shared.closeStale(info.getClientId(), this);
        }
        try {
            broker = context.openConnection("openwire", ctx.channel().remoteAddress(), info.getClientId(),
                    principal);
        } catch (TooManyConnectionsException e) {
            // As a refused login: the answer, then the socket closes; the client's connect throws it. The
            // broker has logged the refusal.
            refused = true;
            fail(info, new jakarta.jms.ResourceAllocationException(e.getMessage()));
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        } catch (BrokerException e) {
            fail(info, new jakarta.jms.InvalidClientIDException(e.getMessage()));
            return;
        }
        connectionInfo = info;
        shared.connectionOpened(info.getClientId(), this);
        respond(info);
        write(new ConnectionControl());
    }

    /**
     * Closes a connection whose client came back through another one. The broker side closes at
     * once (it is thread-safe), so that the client id is free for the new connection.
     */
    void closeAsStale() {
        log.info("OpenWire connection from {} closed: its client reconnected after a failover",
                ctx.channel().remoteAddress());
        BrokerConnection stale = broker;
        if (stale != null) {
            stale.close("client reconnected after a failover");
        }
        execute(ctx::close);
    }

    private void subscribe(ConsumerInfo info) {
        ActiveMQDestination destination = info.getDestination();
        if (destination == null) {
            fail(info, new jakarta.jms.InvalidDestinationException("consumer without a destination"));
            return;
        }
        if (Advisories.isAdvisory(destination)) {
            shared.advisories().subscribe(this, info.getConsumerId(), destination);
            respond(info);
            return;
        }
        if (info.isBrowser()) {
            browse(info, OpenWireMessages.toCore(destination));
            return;
        }
        // Prefetch 0: the client pulls each message (MessagePull); the broker's consumers are then
        // credit-based, one credit per pull, so nothing waits at a consumer that did not ask.
        boolean pulls = info.getPrefetchSize() == 0;
        int prefetch = Math.max(1, info.getPrefetchSize());
        OpenWireConsumer consumer = new OpenWireConsumer(this, info);
        ActiveMQDestination[] members = destination.isComposite() ? destination.getCompositeDestinations()
                : new ActiveMQDestination[] {destination};
        for (ActiveMQDestination member : members) {
            String durable = member.isTopic() ? info.getSubscriptionName() : null;
            ConsumerCallback callback = consumer.newMember();
            try {
                consumer.bind(callback, broker.subscribe(new SubscriptionSpec(OpenWireMessages.toCore(member),
                        info.getSelector(), prefetch, info.isExclusive(), durable, info.isNoLocal(), null, 0, false,
                        pulls, info.getPriority()), callback));
            } catch (BrokerException e) {
                consumer.close(null);
                fail(info, refusal(e, e.getMessage().contains("selector")
                        ? new jakarta.jms.InvalidSelectorException(e.getMessage())
                        : new jakarta.jms.JMSException(e.getMessage())));
                return;
            }
        }
        consumers.put(info.getConsumerId(), consumer);
        respond(info);
    }

    /**
     * The failover transport restores a consumer with prefetch 0 while its client has not finished
     * with the interruption (a listener still busy, say), and gives its prefetch back with a
     * ConsumerControl once it has; ignored, it would leave a pulling consumer whose client never
     * pulls. The core cannot change a subscription's prefetch, so the consumer is subscribed again
     * with it. Nothing was dispatched to it, as its client did not pull; a non-durable topic
     * subscription loses what it held since the restore.
     */
    private void restorePrefetch(ConsumerControl control) {
        OpenWireConsumer pulling = consumers.get(control.getConsumerId());
        if (pulling == null || control.getPrefetch() <= 0 || pulling.info().getPrefetchSize() != 0) {
            return;
        }
        ConsumerInfo info = pulling.info().copy();
        info.setPrefetchSize(control.getPrefetch());
        info.setResponseRequired(false);
        consumers.remove(info.getConsumerId());
        pulling.close(null);
        subscribe(info);
    }

    private void acknowledge(MessageAck ack) {
        OpenWireConsumer consumer = consumers.get(ack.getConsumerId());
        LocalTransaction transaction = ack.getTransactionId() == null ? null : transactions.get(ack.getTransactionId());
        if (consumer != null && transaction != null && ack.getAckType() != MessageAck.DELIVERED_ACK_TYPE) {
            transaction.acksOnCommit().add(() -> consumer.acknowledge(ack, transaction.broker()));
        } else if (consumer != null) {
            consumer.acknowledge(ack, null);
        }
        respond(ack);
    }

    /**
     * The client removes a consumer, a session (with its consumers), a producer or the whole
     * connection; a consumer or session names the last message its application received, and
     * what came after it goes back uncounted.
     */
    private void remove(RemoveInfo remove) {
        Object id = remove.getObjectId();
        if (id instanceof ConsumerId consumerId) {
            OpenWireConsumer consumer = consumers.remove(consumerId);
            if (consumer != null) {
                consumer.close(remove.getLastDeliveredSequenceId());
            } else {
                shared.advisories().unsubscribe(this, consumerId);
            }
        } else if (id instanceof SessionId sessionId) {
            consumers.values().removeIf(consumer -> {
                if (sessionId.equals(new SessionId(consumer.id()))) {
                    consumer.close(remove.getLastDeliveredSequenceId());
                    return true;
                }
                return false;
            });
        } else if (id instanceof ProducerId producerId) {
            producerWindows.remove(producerId);
        } else if (id instanceof ConnectionId) {
            consumers.values().forEach(consumer -> consumer.close(null));
            consumers.clear();
        }
        respond(remove);
    }

    /** Temporary destinations: the client names its own; removing one with consumers is refused. */
    private void destination(DestinationInfo info) {
        ActiveMQDestination destination = info.getDestination();
        if (destination == null || !destination.isTemporary()) {
            respond(info);
            return;
        }
        try {
            if (info.getOperationType() == DestinationInfo.ADD_OPERATION_TYPE) {
                broker.temporaryDestinationNamed(OpenWireMessages.toCore(destination));
            } else if (info.getOperationType() == DestinationInfo.REMOVE_OPERATION_TYPE) {
                broker.deleteTemporaryDestination(OpenWireMessages.toCore(destination));
            }
            respond(info);
        } catch (BrokerException e) {
            fail(info, refusal(e, new jakarta.jms.JMSException(e.getMessage())));
        }
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
                        answer(commandId);
                    } else {
                        answer(commandId, new jakarta.jms.TransactionRolledBackException(failure.getMessage()));
                    }
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
                    for (Message m : messages) {
                        try {
                            ActiveMQMessage copy = OpenWireMessages.toOpenWire(m, queue, dispatchIdFor(m));
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
                writeAndFlush(end);
            }));
            respond(info);
        } catch (BrokerException e) {
            fail(info, refusal(e, new jakarta.jms.InvalidDestinationException(e.getMessage())));
        }
    }

    /**
     * A message from the client. A resent one (same producer and sequence, after a failover
     * reconnect) is answered without being routed again. An asynchronous send of a producer with
     * a window is answered with a ProducerAck once the broker has taken it, which is what lets
     * the client send more.
     */
    private void send(ActiveMQMessage message) throws Exception {
        int size = message.getSize();
        if (message.getTransactionId() == null && shared.audit().isDuplicate(message.getMessageId())) {
            log.debug("OpenWire: duplicate {} from {} not routed again", message.getMessageId(),
                    ctx.channel().remoteAddress());
            respond(message);
            producerAck(message, size);
            return;
        }
        Message core;
        try {
            core = OpenWireMessages.toCore(message);
        } catch (jakarta.jms.JMSException unreadable) {
            // A body the broker cannot read is refused; the connection goes on.
            if (message.isResponseRequired()) {
                fail(message, unreadable);
            } else {
                log.info("OpenWire connection from {}: asynchronous send to {} refused: {}",
                        ctx.channel().remoteAddress(), message.getDestination(), unreadable.getMessage());
                producerAck(message, size);
            }
            return;
        }
        if (message.getTransactionId() != null) {
            LocalTransaction transaction = transactions.get(message.getTransactionId());
            if (transaction == null) {
                fail(message, new jakarta.jms.TransactionRolledBackException("unknown transaction "
                        + message.getTransactionId()));
                return;
            }
            try {
                transaction.broker().send(core);
                respond(message);
                producerAck(message, size);
            } catch (BrokerException e) {
                fail(message, refusal(e, new jakarta.jms.InvalidDestinationException(e.getMessage())));
            }
            return;
        }
        boolean answer = message.isResponseRequired();
        int commandId = message.getCommandId();
        sendsStarted(size);
        broker.send(core).whenComplete((ok, failure) -> execute(() -> {
            sendsDone(size);
            if (answer) {
                if (failure == null) {
                    answer(commandId);
                } else {
                    Throwable cause = failure instanceof java.util.concurrent.CompletionException
                            && failure.getCause() != null ? failure.getCause() : failure;
                    answer(commandId, refusal(cause, new jakarta.jms.JMSException(cause.getMessage())));
                }
            } else {
                if (failure != null) {
                    log.info("OpenWire connection from {}: asynchronous send to {} refused: {}",
                            ctx.channel().remoteAddress(), message.getDestination(), failure.getMessage());
                }
                producerAck(message, size);
            }
        }));
    }

    /**
     * Sends the broker has not taken yet, in bytes: past {@link #MAX_PENDING_SEND_BYTES} the
     * connection stops reading, so that a client sending asynchronously without a producer window
     * is held back by TCP instead of filling the broker's memory.
     */
    private void sendsStarted(int size) {
        pendingSendBytes += size;
        if (pendingSendBytes > MAX_PENDING_SEND_BYTES && ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    private void sendsDone(int size) {
        pendingSendBytes -= size;
        if (pendingSendBytes <= MAX_PENDING_SEND_BYTES / 2 && !ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private void producerAck(ActiveMQMessage message, int size) {
        if (!message.isResponseRequired() && producerWindows.containsKey(message.getProducerId())) {
            writeAndFlush(new ProducerAck(message.getProducerId(), size));
        }
    }

    MessageId dispatchIdFor(Message message) {
        return dispatchIds.next(message);
    }

    /** An advisory message for one of this connection's advisory consumers. */
    void dispatchAdvisory(ConsumerId consumer, ActiveMQMessage message) {
        execute(() -> {
            MessageDispatch dispatch = new MessageDispatch();
            dispatch.setConsumerId(consumer);
            dispatch.setDestination(message.getDestination());
            dispatch.setMessage(message);
            writeAndFlush(dispatch);
        });
    }

    private void respond(Command command) {
        if (command.isResponseRequired()) {
            Response response = new Response();
            response.setCorrelationId(command.getCommandId());
            write(response);
        }
    }

    private void answer(int commandId) {
        Response response = new Response();
        response.setCorrelationId(commandId);
        writeAndFlush(response);
    }

    private void answer(int commandId, Throwable error) {
        ExceptionResponse response = new ExceptionResponse(error);
        response.setCorrelationId(commandId);
        writeAndFlush(response);
    }

    /** A {@code JMSSecurityException} for a refusal by an ACL, else {@code otherwise}. */
    private static Throwable refusal(Throwable failure, Throwable otherwise) {
        return failure instanceof io.junction.core.spi.NotAuthorizedException
                ? new jakarta.jms.JMSSecurityException(failure.getMessage()) : otherwise;
    }

    private void fail(Command command, Throwable error) {
        log.info("OpenWire connection from {}: {} refused: {}", ctx.channel().remoteAddress(),
                command.getClass().getSimpleName(), error.getMessage());
        ExceptionResponse response = new ExceptionResponse(error);
        response.setCorrelationId(command.getCommandId());
        write(response);
    }

    /** Marshals straight into a pooled buffer (the size prefix first, as the format writes it). */
    private void write(Object command) {
        ByteBuf buffer = ctx.alloc().ioBuffer();
        try {
            format.marshal(command, new ByteBufOutputStream(buffer));
        } catch (Exception e) {
            buffer.release();
            log.warn("OpenWire connection from {}: cannot marshal {}", ctx.channel().remoteAddress(), command, e);
            ctx.close();
            return;
        }
        ctx.write(buffer, ctx.voidPromise());
    }

    /**
     * Writes and flushes; the listener's flush consolidation holds the flush until the event loop
     * has run the tasks queued so far, so a burst of deliveries goes out in one socket write.
     */
    void writeAndFlush(Object command) {
        write(command);
        ctx.flush();
    }

    ScheduledFuture<?> schedule(Runnable task, long millis) {
        return ctx.executor().schedule(task, millis, TimeUnit.MILLISECONDS);
    }

    void execute(Runnable task) {
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
}
