package io.junction.amqp;

import io.junction.core.model.Destination;
import io.junction.core.model.DestinationType;
import io.junction.core.model.Message;
import io.junction.core.spi.AuthenticationException;
import io.junction.core.spi.BrokerConnection;
import io.junction.core.spi.Credentials;
import io.junction.core.spi.LoginOutcome;
import io.junction.core.spi.NotAuthorizedException;
import io.junction.core.spi.TlsPeer;
import io.junction.core.spi.Principal;
import io.junction.core.spi.BrokerException;
import io.junction.core.spi.TooManyConnectionsException;
import io.junction.core.spi.ProtocolContext;
import io.junction.core.spi.SubscriptionSpec;
import io.junction.core.spi.Transaction;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.apache.qpid.proton.amqp.DescribedType;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.Modified;
import org.apache.qpid.proton.amqp.messaging.Rejected;
import org.apache.qpid.proton.amqp.messaging.Released;
import org.apache.qpid.proton.amqp.messaging.Source;
import org.apache.qpid.proton.amqp.messaging.Target;
import org.apache.qpid.proton.amqp.messaging.TerminusDurability;
import org.apache.qpid.proton.amqp.messaging.TerminusExpiryPolicy;
import org.apache.qpid.proton.amqp.transaction.Coordinator;
import org.apache.qpid.proton.amqp.transaction.TransactionalState;
import org.apache.qpid.proton.amqp.transport.AmqpError;
import org.apache.qpid.proton.amqp.transport.DeliveryState;
import org.apache.qpid.proton.amqp.UnsignedLong;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;
import org.apache.qpid.proton.amqp.transport.LinkError;
import org.apache.qpid.proton.amqp.transport.ReceiverSettleMode;
import org.apache.qpid.proton.amqp.transport.SenderSettleMode;
import org.apache.qpid.proton.engine.Collector;
import org.apache.qpid.proton.engine.Connection;
import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.EndpointState;
import org.apache.qpid.proton.engine.Event;
import org.apache.qpid.proton.engine.Link;
import org.apache.qpid.proton.engine.Receiver;
import org.apache.qpid.proton.engine.Sasl;
import org.apache.qpid.proton.engine.Sender;
import org.apache.qpid.proton.engine.Session;
import org.apache.qpid.proton.engine.Transport;
import org.apache.qpid.proton.engine.TransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One AMQP 1.0 network connection, driven by a proton-j engine on the channel's event loop (no
 * proton reactor threads): bytes in, engine events handled, bytes out. Links to the broker are
 * {@link ProducerLink}s (the client sends) and {@link ConsumerLink}s (the client receives).
 */
final class AmqpConnection extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(AmqpConnection.class);
    private static final Symbol SELECTOR_FILTER = Symbol.valueOf("jms-selector");
    private static final Symbol NO_LOCAL_FILTER = Symbol.valueOf("no-local");
    private static final Symbol SHARED = Symbol.valueOf("shared");
    private static final Symbol GLOBAL = Symbol.valueOf("global");
    /** Deliveries a consumer link holds from the broker beyond the credit its client gave. */
    private static final int CONSUMER_PREFETCH = 1000;

    /** Where the bytes of a refused oversize message go; nobody reads it, so it is shared. */
    private static final byte[] DISCARD = new byte[8192];

    /** The context of a producer link closed for an oversize message: what still arrives on it is dropped. */
    private enum RefusedLink { MESSAGE_TOO_LARGE }

    private final ProtocolContext context;
    private final AmqpConfig config;
    /** The largest message a client may send: its listener's maxMessageSize, announced on producer links. */
    private final int maxMessageSize;
    private final Transport transport = Transport.Factory.create();
    private final Connection connection = Connection.Factory.create();
    private final Collector collector = Collector.Factory.create();
    private Sasl sasl;
    /** Who the client is, once SASL accepted it. */
    private Principal principal;
    private ChannelHandlerContext ctx;
    private BrokerConnection broker;
    private ScheduledFuture<?> openTimeout;
    private ScheduledFuture<?> tick;
    private AmqpTransactions transactions;
    private boolean ended;
    /** A SASL init was received and its login is being decided: input waits. */
    private boolean loggingIn;
    /** The login was refused: the refusal goes out after its delay and nothing more is read. */
    private boolean saslRefused;
    /** Input read while the login was decided, or null. */
    private ByteBuf heldDuringLogin;

    AmqpConnection(ProtocolContext context, AmqpConfig config, int maxMessageSize) {
        this.context = context;
        this.config = config;
        this.maxMessageSize = maxMessageSize;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        transport.setMaxFrameSize(config.maxFrameSize());
        if (config.idleTimeoutMillis() > 0) {
            transport.setIdleTimeout((int) config.idleTimeoutMillis());
        }
        transport.setEmitFlowEventOnSend(false);
        sasl = transport.sasl();
        sasl.server();
        sasl.setMechanisms(mechanisms(ctx));
        connection.collect(collector);
        transport.bind(connection);
        openTimeout = ctx.executor().schedule(() -> {
            if (broker == null) {
                log.info("AMQP connection from {} closed: not opened within {} ms", remote(),
                        config.connectTimeoutMillis());
                ctx.close();
            }
        }, config.connectTimeoutMillis(), TimeUnit.MILLISECONDS);
        // Whatever the engine has to say first (the SASL header and mechanisms) goes out now.
        flushOutput();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (loggingIn) {
                hold(in);
            } else if (!saslRefused && feed(in)) {
                flushOutput();
            }
        } finally {
            ReferenceCountUtil.release(in);
        }
    }

    /**
     * Gives the client's bytes to the engine and handles what they cause; stops at the SASL init,
     * whose login is decided elsewhere, and holds the rest for then. False when the connection failed.
     */
    private boolean feed(ByteBuf in) {
        return guarded(() -> {
            while (in.isReadable() && !ended && !loggingIn && !saslRefused) {
                int capacity = transport.capacity();
                if (capacity <= 0) {
                    break;
                }
                ByteBuffer tail = transport.getInputBuffer();
                int n = Math.min(tail.remaining(), in.readableBytes());
                ByteBuffer window = tail.duplicate();
                window.limit(window.position() + n);
                in.readBytes(window);
                tail.position(tail.position() + n);
                transport.processInput().checkIsOk();
                handleSasl();
                processEvents();
            }
            if (loggingIn && in.isReadable()) {
                hold(in);
            }
        });
    }

    /** Runs a step of the engine; an error closes the connection. False when it did. */
    private boolean guarded(Runnable step) {
        try {
            step.run();
            return true;
        } catch (TransportException e) {
            log.info("AMQP connection from {} closed: {}", remote(), e.getMessage());
            processEvents();
            flushOutput();
            ctx.close();
        } catch (RuntimeException e) {
            log.warn("AMQP connection from {}: unexpected error; closing", remote(), e);
            closeWithError(AmqpError.INTERNAL_ERROR, "internal error: " + e);
        }
        return false;
    }

    /** Keeps bytes read while a login is decided (reading stopped, but a read may have held more). */
    private void hold(ByteBuf in) {
        if (heldDuringLogin == null) {
            heldDuringLogin = ctx.alloc().buffer(in.readableBytes());
        }
        heldDuringLogin.writeBytes(in);
    }

    private void releaseHeld() {
        if (heldDuringLogin != null) {
            heldDuringLogin.release();
            heldDuringLogin = null;
        }
    }

    /**
     * EXTERNAL first when the client's certificate maps to a user (Qpid JMS, for one, picks
     * EXTERNAL whenever it is offered and the client has a certificate, so it is not offered to
     * clients it would refuse), then PLAIN, and ANONYMOUS when the module allows it.
     */
    private String[] mechanisms(ChannelHandlerContext ctx) {
        List<String> mechanisms = new ArrayList<>(3);
        TlsPeer.subject(ctx.channel()).filter(context::isMappedCertificate).ifPresent(subject -> mechanisms.add("EXTERNAL"));
        mechanisms.add("PLAIN");
        if (config.allowAnonymous()) {
            mechanisms.add("ANONYMOUS");
        }
        return mechanisms.toArray(String[]::new);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseHeld();
        end("connection closed");
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("AMQP connection from {}: {}", remote(), cause.toString());
        ctx.close();
    }

    private void end(String reason) {
        if (ended) {
            return;
        }
        ended = true;
        if (openTimeout != null) {
            openTimeout.cancel(false);
        }
        if (tick != null) {
            tick.cancel(false);
        }
        if (broker != null) {
            broker.close(reason);
        }
    }

    /**
     * The server side of SASL: EXTERNAL (offered to a client whose certificate maps to a user),
     * PLAIN, or ANONYMOUS when the module offers it; the broker's authenticator decides, while
     * nothing more is read. A refusal (outcome auth, or sys-temp for a busy server) is sent once
     * the failed-login delay is over.
     */
    private void handleSasl() {
        if (sasl == null || sasl.getOutcome() != Sasl.PN_SASL_NONE || sasl.getRemoteMechanisms().length == 0) {
            return;
        }
        Sasl server = sasl;
        sasl = null;
        String mechanism = server.getRemoteMechanisms()[0];
        byte[] response = new byte[server.pending()];
        server.recv(response, 0, response.length);
        Credentials credentials;
        if (mechanism.equals("PLAIN")) {
            credentials = plain(response);
        } else if (mechanism.equals("EXTERNAL")) {
            // The message is the identity the client asks to act as, usually empty (RFC 4422, appendix A).
            credentials = Credentials.ofCertificate(ctx.channel(),
                    response.length == 0 ? null : new String(response, StandardCharsets.UTF_8));
        } else if (mechanism.equals("ANONYMOUS") && config.allowAnonymous()) {
            credentials = Credentials.of(ctx.channel(), (String) null, (char[]) null);
        } else {
            log.info("AMQP connection from {}: SASL mechanism {} refused", remote(), mechanism);
            server.done(Sasl.PN_SASL_AUTH);
            return;
        }
        Arrays.fill(response, (byte) 0);
        loggingIn = true;
        ctx.channel().config().setAutoRead(false);
        LoginOutcome.onEventLoop(ctx.channel(), context.authenticate("amqp", credentials),
                (who, refusal) -> saslDecided(server, who, refusal));
    }

    /** The SASL outcome; on success the client's AMQP header and open, held by the engine or here, go on. */
    private void saslDecided(Sasl server, Principal who, AuthenticationException refusal) {
        loggingIn = false;
        if (refusal != null) {
            saslRefused = true;
            releaseHeld();
            Sasl.SaslOutcome outcome = refusal.reason() == AuthenticationException.Reason.SERVER_BUSY
                    ? Sasl.PN_SASL_TEMP : Sasl.PN_SASL_AUTH;
            ctx.executor().schedule(() -> {
                server.done(outcome);
                flushOutput();
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }, refusal.delayMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        principal = who;
        server.done(Sasl.PN_SASL_OK);
        ByteBuf held = heldDuringLogin;
        heldDuringLogin = null;
        try {
            // The engine holds what came right behind the SASL init until the outcome.
            boolean open = guarded(() -> {
                transport.processInput().checkIsOk();
                processEvents();
            });
            if (open && (held == null || feed(held))) {
                flushOutput();
            }
        } finally {
            if (held != null) {
                held.release();
            }
        }
        ctx.channel().config().setAutoRead(true);
    }

    /** SASL PLAIN's message: [authzid] NUL authcid NUL passwd (RFC 4616). */
    private Credentials plain(byte[] response) {
        int first = indexOf(response, 0);
        int second = first < 0 ? -1 : indexOf(response, first + 1);
        if (second < 0) {
            // Malformed: fails like a wrong password.
            return Credentials.of(ctx.channel(), "", new char[0]);
        }
        String user = new String(response, first + 1, second - first - 1, StandardCharsets.UTF_8);
        byte[] password = Arrays.copyOfRange(response, second + 1, response.length);
        Credentials credentials = Credentials.of(ctx.channel(), user, password);
        Arrays.fill(password, (byte) 0);
        return credentials;
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private void processEvents() {
        for (Event event; (event = collector.peek()) != null; collector.pop()) {
            switch (event.getType()) {
                case CONNECTION_REMOTE_OPEN -> connectionOpened();
                case CONNECTION_REMOTE_CLOSE -> {
                    connection.close();
                    end("client closed the connection");
                }
                case SESSION_REMOTE_OPEN -> {
                    Session session = event.getSession();
                    if (session.getLocalState() == EndpointState.UNINITIALIZED) {
                        session.open();
                    }
                }
                case SESSION_REMOTE_CLOSE -> event.getSession().close();
                case LINK_REMOTE_OPEN -> linkOpened(event.getLink());
                case LINK_REMOTE_DETACH, LINK_REMOTE_CLOSE -> linkClosed(event.getLink(),
                        event.getType() == Event.Type.LINK_REMOTE_CLOSE);
                case LINK_FLOW -> {
                    if (event.getLink() instanceof Sender sender && sender.getContext() instanceof ConsumerLink link) {
                        link.creditChanged();
                    }
                }
                case DELIVERY -> delivery(event.getDelivery());
                case TRANSPORT_CLOSED -> ctx.close();
                default -> {
                }
            }
        }
    }

    private void connectionOpened() {
        String containerId = connection.getRemoteContainer();
        try {
            if (principal == null) {
                throw new BrokerException("not authenticated");
            }
            broker = context.openConnection("amqp", ctx.channel().remoteAddress(), containerId, principal);
        } catch (BrokerException e) {
            Symbol condition = e instanceof TooManyConnectionsException ? AmqpError.RESOURCE_LIMIT_EXCEEDED
                    : AmqpError.INVALID_FIELD;
            connection.setCondition(new ErrorCondition(condition, e.getMessage()));
            connection.open();
            connection.close();
            return;
        }
        openTimeout.cancel(false);
        connection.setContainer("junction");
        // What Qpid JMS looks for before it uses shared subscriptions, one producer for all, or a
        // delivery delay (without DELAYED_DELIVERY it refuses sends with one).
        connection.setOfferedCapabilities(new Symbol[] {Symbol.valueOf("SHARED-SUBS"),
                Symbol.valueOf("ANONYMOUS-RELAY"), Symbol.valueOf("DELAYED_DELIVERY")});
        connection.open();
        scheduleTick();
    }

    /** Idle timeouts both ways: proton says when it next needs to send or check. */
    private void scheduleTick() {
        if (config.idleTimeoutMillis() == 0 || ended) {
            return;
        }
        long now = System.currentTimeMillis();
        long next = transport.tick(now);
        flushOutput();
        if (transport.getCondition() != null && transport.getCondition().getCondition() != null) {
            log.info("AMQP connection from {} closed: {}", remote(), transport.getCondition().getDescription());
            ctx.close();
            return;
        }
        long delay = next == 0 ? config.idleTimeoutMillis() / 2 : Math.max(1, next - now);
        tick = ctx.executor().schedule(this::scheduleTick, delay, TimeUnit.MILLISECONDS);
    }

    private void linkOpened(Link link) {
        if (broker == null) {
            return;
        }
        if (link instanceof Receiver receiver) {
            producerOpened(receiver);
        } else {
            consumerOpened((Sender) link);
        }
    }

    private void producerOpened(Receiver receiver) {
        if (receiver.getRemoteTarget() instanceof Coordinator coordinator) {
            receiver.setTarget(coordinator);
            receiver.setSource(receiver.getRemoteSource());
            receiver.setContext(new CoordinatorLink());
            receiver.setMaxMessageSize(UnsignedLong.valueOf(maxMessageSize));
            receiver.open();
            receiver.flow(config.credit());
            return;
        }
        if (!(receiver.getRemoteTarget() instanceof Target target)) {
            refuseLink(receiver, AmqpError.INVALID_FIELD, "a producer link needs a target");
            return;
        }
        Destination destination;
        if (target.getDynamic()) {
            // A temporary destination asked for by a producer (Qpid JMS creates them so).
            DestinationType type = hasCapability(target.getCapabilities(), AmqpAddresses.TEMPORARY_TOPIC)
                    ? DestinationType.TEMP_TOPIC : DestinationType.TEMP_QUEUE;
            try {
                destination = broker.temporaryDestination(type, receiver.getName());
            } catch (NotAuthorizedException e) {
                refuseLink(receiver, AmqpError.UNAUTHORIZED_ACCESS, e.getMessage());
                return;
            }
            Target dynamic = new Target();
            dynamic.setAddress(AmqpAddresses.address(destination));
            dynamic.setDynamic(true);
            dynamic.setCapabilities(AmqpAddresses.capability(destination));
            target = dynamic;
        } else {
            destination = target.getAddress() == null ? null
                    : AmqpAddresses.toCore(target.getAddress(), target.getCapabilities());
        }
        receiver.setTarget(target);
        receiver.setSource(receiver.getRemoteSource());
        receiver.setReceiverSettleMode(ReceiverSettleMode.FIRST);
        ProducerLink link = new ProducerLink(receiver, destination);
        receiver.setContext(link);
        receiver.setMaxMessageSize(UnsignedLong.valueOf(maxMessageSize));
        receiver.open();
        receiver.flow(config.credit());
    }

    private void consumerOpened(Sender sender) {
        if (!(sender.getRemoteSource() instanceof Source source)) {
            durableLookup(sender);
            return;
        }
        Destination destination;
        if (source.getDynamic()) {
            DestinationType type = hasCapability(source.getCapabilities(), AmqpAddresses.TEMPORARY_TOPIC)
                    ? DestinationType.TEMP_TOPIC : DestinationType.TEMP_QUEUE;
            try {
                destination = broker.temporaryDestination(type, sender.getName());
            } catch (NotAuthorizedException e) {
                refuseLink(sender, AmqpError.UNAUTHORIZED_ACCESS, e.getMessage());
                return;
            }
            Source dynamic = new Source();
            dynamic.setAddress(AmqpAddresses.address(destination));
            dynamic.setDynamic(true);
            dynamic.setCapabilities(AmqpAddresses.capability(destination));
            source = dynamic;
        } else if (source.getAddress() == null) {
            refuseLink(sender, AmqpError.INVALID_FIELD, "a consumer link needs a source address");
            return;
        } else {
            destination = AmqpAddresses.toCore(source.getAddress(), source.getCapabilities());
        }
        boolean durable = destination.isTopic() && source.getDurable() != null
                && source.getDurable() != TerminusDurability.NONE;
        // JMS 2.0 shared subscriptions (Qpid JMS names the link "<name>", "<name>|global" or
        // "<name>|volatileN"): a share group of the broker, durable when the source is.
        String shareGroup = null;
        if (destination.isTopic() && hasCapability(source.getCapabilities(), SHARED)) {
            String name = subscriptionName(sender);
            shareGroup = hasCapability(source.getCapabilities(), GLOBAL) || connection.getRemoteContainer() == null
                    ? name : connection.getRemoteContainer() + ":" + name;
        }
        String durableName = durable ? subscriptionName(sender) : null;
        String selector = selector(source.getFilter());
        boolean noLocal = source.getFilter() != null && source.getFilter().containsKey(NO_LOCAL_FILTER);
        ConsumerLink link = new ConsumerLink(this, sender, destination, durableName);
        try {
            link.bind(broker.subscribe(new SubscriptionSpec(destination, selector, CONSUMER_PREFETCH, false,
                    durableName, noLocal && shareGroup == null, shareGroup, 0, false, true), link));
        } catch (BrokerException e) {
            refuseLink(sender, conditionOf(e, AmqpError.NOT_FOUND), e.getMessage());
            return;
        }
        sender.setContext(link);
        sender.setSource(source);
        sender.setTarget(sender.getRemoteTarget());
        sender.setSenderSettleMode(sender.getRemoteSenderSettleMode());
        sender.open();
    }

    /**
     * A consumer link without a source looks up a durable subscription by its name (Qpid JMS does
     * so to unsubscribe): it is answered with a durable topic source and no deliveries; closing it
     * removes the subscription.
     */
    private void durableLookup(Sender sender) {
        Source found = new Source();
        found.setAddress(sender.getName());
        found.setDurable(TerminusDurability.UNSETTLED_STATE);
        found.setExpiryPolicy(TerminusExpiryPolicy.NEVER);
        found.setCapabilities(AmqpAddresses.TOPIC);
        sender.setSource(found);
        sender.setTarget(sender.getRemoteTarget());
        sender.setContext(new DurableLookup(subscriptionName(sender)));
        sender.open();
    }

    /** A link that only names a durable subscription. */
    private record DurableLookup(String subscriptionName) {
    }

    /** The subscription name in a link name: Qpid JMS adds "|global" or "|volatileN" to some. */
    private static String subscriptionName(Link link) {
        String name = link.getName();
        int bar = name.indexOf('|');
        return bar < 0 ? name : name.substring(0, bar);
    }

    private static String selector(Map<Symbol, Object> filter) {
        if (filter == null) {
            return null;
        }
        Object value = filter.get(SELECTOR_FILTER);
        if (value instanceof DescribedType described) {
            return String.valueOf(described.getDescribed());
        }
        return null;
    }

    private static boolean hasCapability(Symbol[] capabilities, Symbol wanted) {
        if (capabilities != null) {
            for (Symbol c : capabilities) {
                if (wanted.equals(c)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code amqp:unauthorized-access} for a refusal by an ACL, else {@code otherwise}. */
    private static Symbol conditionOf(Throwable failure, Symbol otherwise) {
        return failure instanceof NotAuthorizedException ? AmqpError.UNAUTHORIZED_ACCESS
                : otherwise;
    }

    private void refuseLink(Link link, Symbol condition, String description) {
        log.info("AMQP connection from {}: link {} refused: {}", remote(), link.getName(), description);
        link.setSource(null);
        link.setTarget(null);
        link.open();
        link.setCondition(new ErrorCondition(condition, description));
        link.close();
    }

    private void linkClosed(Link link, boolean closed) {
        if (link.getContext() instanceof DurableLookup lookup && closed) {
            try {
                broker.unsubscribeDurable(lookup.subscriptionName());
            } catch (BrokerException e) {
                link.setCondition(new ErrorCondition(AmqpError.NOT_FOUND, e.getMessage()));
            }
        }
        if (link.getContext() instanceof ConsumerLink consumer) {
            consumer.close();
            if (closed && consumer.durableName() != null) {
                try {
                    broker.unsubscribeDurable(consumer.durableName());
                } catch (BrokerException e) {
                    log.debug("AMQP connection from {}: durable subscription {} not removed: {}", remote(),
                            link.getName(), e.getMessage());
                }
            }
        }
        if (closed) {
            link.close();
        } else {
            link.detach();
        }
        // Freed, so that a later attach with the same name (a durable subscription resumed on
        // this session) makes a new link rather than finding this detached one.
        link.free();
    }

    private void delivery(Delivery delivery) {
        Link link = delivery.getLink();
        if (link.getContext() == RefusedLink.MESSAGE_TOO_LARGE) {
            discard((Receiver) link, delivery);
        } else if (link.getContext() instanceof ProducerLink || link.getContext() instanceof CoordinatorLink) {
            // Read what has come so far: the session window reopens only for bytes read, so a
            // message larger than the window would never complete otherwise.
            Receiver receiver = (Receiver) link;
            int available = delivery.available();
            long size = (delivery.getContext() instanceof ByteBuf read ? read.readableBytes() : 0) + (long) available;
            if (size > maxMessageSize) {
                refuseTooLarge(receiver, delivery);
                return;
            }
            if (!delivery.isPartial() && delivery.getContext() == null) {
                // The usual case, a message in one frame: read straight into its array.
                byte[] bytes = new byte[available];
                receiver.recv(bytes, 0, available);
                complete(receiver, delivery, bytes);
                return;
            }
            if (available > 0) {
                ByteBuf parts = delivery.getContext() instanceof ByteBuf b ? b
                        : Unpooled.buffer(available);
                byte[] chunk = new byte[available];
                receiver.recv(chunk, 0, available);
                parts.writeBytes(chunk);
                delivery.setContext(parts);
            }
            if (!delivery.isPartial() && delivery.getContext() instanceof ByteBuf whole) {
                delivery.setContext(null);
                byte[] bytes = new byte[whole.readableBytes()];
                whole.readBytes(bytes);
                whole.release();
                complete(receiver, delivery, bytes);
            }
        } else if (link.getContext() instanceof ConsumerLink consumer
                && (delivery.getRemoteState() != null || delivery.remotelySettled())) {
            consumer.outcome(delivery, delivery.getRemoteState());
        }
    }

    /**
     * Closes a producer link whose message has grown past the listener's maxMessageSize, with
     * {@code amqp:link:message-size-exceeded}. What was kept of the message is released, and the
     * rest of it, and anything else still arriving on the link, is read and dropped.
     */
    private void refuseTooLarge(Receiver receiver, Delivery delivery) {
        if (delivery.getContext() instanceof ByteBuf read) {
            read.release();
            delivery.setContext(null);
        }
        String description = "message larger than the maximum message size of " + maxMessageSize + " bytes";
        log.info("AMQP connection from {}: link {} closed: {}", remote(), receiver.getName(), description);
        receiver.setContext(RefusedLink.MESSAGE_TOO_LARGE);
        receiver.setCondition(new ErrorCondition(LinkError.MESSAGE_SIZE_EXCEEDED, description));
        receiver.close();
        discard(receiver, delivery);
    }

    private void discard(Receiver receiver, Delivery delivery) {
        while (delivery.available() > 0) {
            receiver.recv(DISCARD, 0, DISCARD.length);
        }
        if (!delivery.isPartial()) {
            if (receiver.current() == delivery) {
                receiver.advance();
            }
            delivery.settle();
        }
    }

    /** A whole transfer: a message for the broker, or a request to the transaction coordinator. */
    private void complete(Receiver receiver, Delivery delivery, byte[] bytes) {
        if (receiver.getContext() instanceof ProducerLink producer) {
            received(receiver, producer, delivery, bytes);
        } else {
            control(receiver, delivery, bytes);
        }
    }

    /** A link to the transaction coordinator. */
    private record CoordinatorLink() {
    }

    private void control(Receiver receiver, Delivery delivery, byte[] bytes) {
        receiver.advance();
        org.apache.qpid.proton.message.Message amqp = org.apache.qpid.proton.message.Message.Factory.create();
        try {
            amqp.decode(bytes, 0, bytes.length);
        } catch (RuntimeException e) {
            answer(receiver, delivery, false, new Rejected(), AmqpError.DECODE_ERROR, e.getMessage());
            return;
        }
        transactions().control(amqp).whenComplete((outcome, failure) -> execute(() -> {
            if (failure == null) {
                answer(receiver, delivery, false, outcome, null, null);
            } else {
                Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                answer(receiver, delivery, false, new Rejected(),
                        Symbol.valueOf("amqp:transaction:unknown-id"), cause.getMessage());
            }
            flushOutput();
        }));
    }

    private AmqpTransactions transactions() {
        if (transactions == null) {
            transactions = new AmqpTransactions(broker);
        }
        return transactions;
    }

    /** The broker transaction a delivery state names, or null. */
    Transaction transactionOf(DeliveryState state) {
        return transactions == null ? null : transactions.of(state);
    }

    private void received(Receiver receiver, ProducerLink producer, Delivery delivery, byte[] bytes) {
        receiver.advance();
        boolean settled = delivery.remotelySettled();
        org.apache.qpid.proton.message.Message amqp = org.apache.qpid.proton.message.Message.Factory.create();
        Destination destination = producer.destination();
        try {
            amqp.decode(bytes, 0, bytes.length);
            if (destination == null) {
                String to = amqp.getAddress();
                if (to == null) {
                    throw new IllegalArgumentException("a message on the anonymous relay needs a 'to' address");
                }
                Map<Symbol, Object> annotations = amqp.getMessageAnnotations() == null ? Map.of()
                        : amqp.getMessageAnnotations().getValue();
                destination = AmqpMessages.destinationOf(to, annotations.get(AmqpMessages.JMS_DEST));
            }
        } catch (RuntimeException e) {
            answer(receiver, delivery, settled, new Rejected(), AmqpError.DECODE_ERROR, e.getMessage());
            return;
        }
        Message message = AmqpMessages.toCore(amqp, destination, System.currentTimeMillis());
        Transaction transaction = transactionOf(delivery.getRemoteState());
        if (transaction != null) {
            try {
                transaction.send(message);
                TransactionalState state =
                        new TransactionalState();
                state.setTxnId(((TransactionalState)
                        delivery.getRemoteState()).getTxnId());
                state.setOutcome(Accepted.getInstance());
                answer(receiver, delivery, settled, state, null, null);
            } catch (BrokerException e) {
                answer(receiver, delivery, settled, new Rejected(), conditionOf(e, AmqpError.NOT_FOUND), e.getMessage());
            }
            return;
        }
        broker.send(message).whenComplete((ok, failure) -> execute(() -> {
            if (failure == null) {
                answer(receiver, delivery, settled, Accepted.getInstance(), null, null);
            } else {
                Throwable cause = failure.getCause() != null && !(failure instanceof BrokerException)
                        ? failure.getCause() : failure;
                answer(receiver, delivery, settled, new Rejected(),
                        conditionOf(cause, AmqpError.RESOURCE_LIMIT_EXCEEDED), cause.getMessage());
            }
            flushOutput();
        }));
    }

    /** The producer's outcome for one delivery, and its credit back. */
    private void answer(Receiver receiver, Delivery delivery, boolean settled, DeliveryState outcome,
                        Symbol condition, String description) {
        if (!settled) {
            if (outcome instanceof Rejected rejected && condition != null) {
                rejected.setError(new ErrorCondition(condition, description));
            }
            delivery.disposition(outcome);
        }
        delivery.settle();
        replenish(receiver);
    }

    /**
     * Gives a producer back the credit of the messages the broker has answered, once they come to
     * half the link's credit: the client then reads a flow frame per half window rather than one
     * per message, and it never has more than {@code credit} messages unanswered or in credit.
     * (Proton takes a credit off when a transfer is advanced past, and counts a delivery
     * unsettled until it is settled here.)
     */
    private void replenish(Receiver receiver) {
        if (receiver.getLocalState() != EndpointState.ACTIVE) {
            return;
        }
        int answered = config.credit() - receiver.getCredit() - receiver.getUnsettled();
        if (answered >= Math.max(1, config.credit() / 2)) {
            receiver.flow(answered);
        }
    }

    /** Writes what the engine has to send. */
    void flushOutput() {
        boolean wrote = false;
        try {
            while (transport.pending() > 0) {
                ByteBuffer head = transport.head();
                int n = head.remaining();
                ByteBuf out = ctx.alloc().buffer(n);
                out.writeBytes(head.duplicate());
                transport.pop(n);
                ctx.write(out, ctx.voidPromise());
                wrote = true;
            }
        } catch (TransportException e) {
            log.debug("AMQP connection from {}: output closed: {}", remote(), e.getMessage());
        }
        if (wrote) {
            ctx.flush();
        }
        if (transport.pending() < 0 && ctx.channel().isActive()) {
            ctx.close();
        }
    }

    private void closeWithError(Symbol condition, String description) {
        if (connection.getLocalState() != EndpointState.CLOSED) {
            connection.setCondition(new ErrorCondition(condition, description));
            if (connection.getLocalState() == EndpointState.UNINITIALIZED) {
                connection.open();
            }
            connection.close();
        }
        flushOutput();
        ctx.close();
    }

    /** Runs the task on this connection's event loop. */
    boolean execute(Runnable task) {
        if (ctx.executor().inEventLoop()) {
            task.run();
            return true;
        }
        try {
            ctx.executor().execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    boolean ended() {
        return ended;
    }

    private Object remote() {
        return ctx.channel().remoteAddress();
    }

    static boolean presettled(Sender sender) {
        return sender.getSenderSettleMode() == SenderSettleMode.SETTLED;
    }

    static boolean redeliver(DeliveryState state) {
        return state instanceof Released || state instanceof Modified;
    }
}
