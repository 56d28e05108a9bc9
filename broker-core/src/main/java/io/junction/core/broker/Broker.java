package io.junction.core.broker;

import io.junction.core.config.CompositeConfig;
import io.junction.core.config.DestinationsConfig;
import io.junction.core.config.DiskFullPolicy;
import io.junction.core.config.FullPolicy;
import io.junction.core.config.PolicyValues;
import io.junction.core.model.Destination;
import io.junction.core.model.DestinationType;
import io.junction.core.model.Message;
import io.junction.core.schedule.Schedule;
import io.junction.core.selector.InvalidSelectorException;
import io.junction.core.selector.Selector;
import io.junction.core.spi.BrokerConnection;
import io.junction.core.spi.BrokerStatistics;
import io.junction.core.spi.BrokerEvents;
import io.junction.core.spi.BrokerException;
import io.junction.core.spi.NotAuthorizedException;
import io.junction.core.security.Acls;
import io.junction.core.security.ConnectionsPerUser;
import io.junction.core.spi.TooManyConnectionsException;
import io.junction.core.spi.Principal;
import io.junction.core.spi.Consumer;
import io.junction.core.spi.ConsumerCallback;
import io.junction.core.spi.SubscriptionSpec;
import io.junction.core.store.MessageStore;
import io.junction.core.store.QueueDefinition;
import io.junction.core.util.NamedThreadFactory;
import io.junction.core.util.SerialExecutor;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The routing core: destinations, subscriptions and connections, and the rules that take a sent
 * message to the queues that keep it. Knows no protocol.
 */
public final class Broker {

    /** Property naming where a dead-lettered or expired message was first addressed ({@code queue://orders}). */
    public static final String PROP_ORIGINAL_DESTINATION = "originalDestination";
    /** Property saying why a message was dead-lettered or moved to the expiry queue. */
    public static final String PROP_FAILURE_CAUSE = "dlqDeliveryFailureCause";

    private static final Logger log = LoggerFactory.getLogger(Broker.class);
    private static final Logger audit = LoggerFactory.getLogger(io.junction.core.security.Authenticator.AUDIT_LOGGER);
    private static final String VIRTUAL_TOPIC_PREFIX = "VirtualTopic.";
    /** Recovered messages handed to queues and not yet taken by them. */
    private static final int RECOVERY_WINDOW = 1024;
    /** Composites declared in configuration may nest; this bounds a cycle someone configured. */
    private static final int MAX_COMPOSITE_DEPTH = 8;

    private final DestinationsConfig rules;
    private final MessageStore store;
    private final Resources resources;
    private final AtomicLong queueIds = new AtomicLong();
    private final Map<Destination, List<Destination>> composites = new ConcurrentHashMap<>();
    private final ExecutorService dispatchPool;
    private final HashedWheelTimer timer;
    private final AtomicLong messageIds = new AtomicLong();
    private final AtomicLong connectionIds = new AtomicLong();
    private final AtomicLong subscriptionIds = new AtomicLong();

    private final Map<String, Queue> queues = new ConcurrentHashMap<>();
    private final Map<String, Queue> temporaryQueues = new ConcurrentHashMap<>();
    private final List<BrokerEvents> listeners = new CopyOnWriteArrayList<>();
    private java.util.function.Consumer<Message> recoveryObserver = message -> { };
    /** Consumers per destination as their clients named it, for {@link BrokerEvents}. */
    private final Map<Destination, Integer> consumerCounts = new ConcurrentHashMap<>();
    private final Set<String> topics = ConcurrentHashMap.newKeySet();
    private volatile java.util.function.Supplier<Acls> acls = () -> Acls.NONE;
    private volatile ConnectionsPerUser connectionsPerUser = ConnectionsPerUser.UNLIMITED;
    private final Set<String> temporaryTopics = ConcurrentHashMap.newKeySet();
    private final TopicIndex topicIndex = new TopicIndex();
    private final TopicIndex temporaryTopicIndex = new TopicIndex();
    private final Map<String, TopicSubscription> subscriptions = new ConcurrentHashMap<>();
    private final Map<String, TopicSubscription> durableSubscriptions = new ConcurrentHashMap<>();
    private final Set<String> activeDurables = ConcurrentHashMap.newKeySet();
    /** Consumers of each shared durable subscription, by key; absent when it has none. */
    private final Map<String, Integer> sharedDurableMembers = new ConcurrentHashMap<>();
    private static final String SHARED_DURABLE_PREFIX = "shared:";
    private final SharedSubscriptions sharedSubscriptions = new SharedSubscriptions(this);
    private final BoundGroup.Registry boundGroups = new BoundGroup.Registry();
    private final RetainedMessages retained;
    private final LongAdder messagesReceived = new LongAdder();
    private final LongAdder messagesDelivered = new LongAdder();
    private final LongAdder messagesDropped = new LongAdder();
    private final LongAdder messagesRefused = new LongAdder();
    private volatile long startedAt;
    private final Map<String, List<Queue>> virtualTopicQueues = new ConcurrentHashMap<>();
    private final Map<String, ClientConnection> connections = new ConcurrentHashMap<>();
    private final Map<String, ClientConnection> clientIds = new ConcurrentHashMap<>();
    private volatile Timeout expirySweep;
    private final MessageScheduler scheduler;

    /**
     * @param store an opened store; the broker takes over what it recovered on {@link #start()}
     */
    public Broker(DestinationsConfig rules, Limits limits, int dispatchThreads, MessageStore store) {
        this.rules = Objects.requireNonNull(rules, "rules");
        this.store = Objects.requireNonNull(store, "store");
        this.resources = new Resources(Objects.requireNonNull(limits, "limits"), store);
        this.retained = new RetainedMessages(store);
        // Compaction may drop the records of the newest, acknowledged messages, so the store alone
        // cannot say which ids were used; starting above the clock (in microseconds) never reuses
        // one unless the broker averaged over a million messages a second.
        messageIds.set(Math.max(store.maxMessageId(), System.currentTimeMillis() * 1000));
        queueIds.set(store.maxQueueId());
        for (CompositeConfig composite : rules.composites()) {
            composites.put(composite.destination(), composite.targets());
        }
        this.dispatchPool = Executors.newFixedThreadPool(dispatchThreads, new NamedThreadFactory("junction-dispatch"));
        this.timer = new HashedWheelTimer(new NamedThreadFactory("junction-timer"), 10, TimeUnit.MILLISECONDS);
        this.scheduler = new MessageScheduler(this, store, resources, timer, newSerialExecutor(), Clock.systemUTC(),
                ZoneId.systemDefault());
    }

    /** Sees each stored message recovered by {@link #start()}; set before it. */
    public void observeRecovery(java.util.function.Consumer<Message> observer) {
        this.recoveryObserver = observer;
    }

    /** Rebuilds the durable queues and subscriptions, with their messages, from the store; then runs. */
    public void start() {
        recover();
        try {
            retained.recover(store.recoveredState().getOrDefault(RetainedMessages.STATE_NAMESPACE, Map.of()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the retained messages from the store", e);
        }
        scheduler.recover(store.recoveredSchedules());
        scheduleExpirySweep();
        startedAt = System.currentTimeMillis();
    }

    /** The broker's timer, for protocol timeouts (coarse, 10 ms ticks). */
    public Timer timer() {
        return timer;
    }

    /** The broker's counters now. */
    public BrokerStatistics statistics() {
        return new BrokerStatistics(startedAt, connections.size(), messagesReceived.sum(), messagesDelivered.sum(),
                messagesDropped.sum(), retained.size(), subscriptions.size() + durableSubscriptions.size() + sharedSubscriptions.size());
    }

    /**
     * Sets how many messages all queues with a message count bound ({@link SubscriptionSpec#maxQueued()})
     * may hold together; past it each takes a new message only by dropping its oldest. 0 for no limit.
     */
    public void maxBoundedMessages(long total) {
        resources.maxBoundedMessages(total);
    }

    /**
     * Sets how many scheduled messages may wait for delivery at once
     * ({@link io.junction.core.config.MemoryConfig#maxScheduledMessages()}); past it, scheduled sends
     * are refused.
     */
    public void maxScheduledMessages(long max) {
        scheduler.maxMessages(max);
    }

    /** Scheduled messages waiting for (more) deliveries. */
    public long scheduledMessages() {
        return scheduler.pending();
    }

    void delivered() {
        messagesDelivered.increment();
    }

    BoundGroup.Registry boundGroups() {
        return boundGroups;
    }

    void dropped() {
        messagesDropped.increment();
    }

    /**
     * Removes a durable subscription of a client id that is not connected, with what it kept (an
     * expired MQTT session, say). Does nothing when there is no such subscription.
     */
    public void removeDurableSubscription(String clientId, String subscriptionName) throws BrokerException {
        String key = clientId + ":" + subscriptionName;
        synchronized (durableSubscriptions) {
            TopicSubscription subscription = durableSubscriptions.get(key);
            if (subscription == null) {
                return;
            }
            if (activeDurables.contains(key)) {
                throw new BrokerException("durable subscription '" + subscriptionName + "' is active; close its consumer first");
            }
            removeDurable(subscription);
        }
    }

    /** Stops timers and dispatch threads; connections should be closed first. */
    public void stop() {
        Timeout sweep = expirySweep;
        if (sweep != null) {
            sweep.cancel();
        }
        scheduler.stop();
        timer.stop();
        dispatchPool.shutdown();
        try {
            dispatchPool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Registers a client connection; a client id may be connected only once at a time. */
    public BrokerConnection openConnection(String protocol, SocketAddress remoteAddress, String clientId)
            throws BrokerException {
        return openConnection(protocol, remoteAddress, clientId, null);
    }

    /** Sets how many connections each user may have open; before the listeners open. */
    public void connectionsPerUser(ConnectionsPerUser limits) {
        this.connectionsPerUser = Objects.requireNonNull(limits);
    }

    /**
     * The same, for a client that authenticated as {@code principal} (null: not authenticated, tests).
     *
     * @throws TooManyConnectionsException when the principal's user has as many connections open as it may
     */
    public BrokerConnection openConnection(String protocol, SocketAddress remoteAddress, String clientId,
                                           Principal principal) throws BrokerException {
        String id = "c" + connectionIds.incrementAndGet();
        ClientConnection connection = new ClientConnection(this, id, protocol, remoteAddress, clientId, principal);
        if (principal != null) {
            try {
                connectionsPerUser.opened(principal.user());
            } catch (TooManyConnectionsException e) {
                audit.info("CONNECT REFUSED user={} remote={} protocol={} reason=\"{}\"", principal.user(),
                        remoteAddress, protocol, e.getMessage());
                log.info("Connection refused: protocol={} remote={} clientId={} user={}: {}", protocol, remoteAddress,
                        clientId, principal.user(), e.getMessage());
                throw e;
            }
        }
        if (clientId != null && clientIds.putIfAbsent(clientId, connection) != null) {
            if (principal != null) {
                connectionsPerUser.closed(principal.user());
            }
            throw new BrokerException("client id '" + clientId + "' is already connected");
        }
        connections.put(id, connection);
        log.info("Connection opened: protocol={} remote={} clientId={} id={} user={}", protocol, remoteAddress, clientId,
                id, principal == null ? null : principal.user());
        return connection;
    }

    // ---- authorization ----

    /** Where the broker gets the ACLs in force (the authenticator's, which reloads them with users.yaml). */
    public void acls(java.util.function.Supplier<Acls> source) {
        this.acls = Objects.requireNonNull(source);
    }

    /**
     * Refuses the action when the connection's user may not do it on the destination. Connections
     * without a principal (the broker's own, such as wills and status topics) are not checked, nor
     * is a connection using a temporary destination it created: creating it took {@code admin}.
     */
    void authorize(ClientConnection connection, Acls.Action action, Destination destination)
            throws NotAuthorizedException {
        Principal principal = connection.principal();
        if (principal == null || destination.type().isTemporary() && connection.owns(destination)) {
            return;
        }
        Acls current = acls.get();
        if (current.isEmpty() || current.allows(principal, action, destination)) {
            return;
        }
        messagesRefused.increment();
        audit.info("AUTHZ DENIED user={} action={} destination={} protocol={} remote={}", principal.user(),
                action.label(), destination, connection.protocol(), connection.remoteAddress());
        throw new NotAuthorizedException("user '" + principal.user() + "' is not authorized to " + action.label()
                + " " + destination);
    }

    /**
     * Applies reloaded ACLs to what is open: consumers whose user may no longer read their
     * destination are closed, as Mosquitto stops delivering at once; each is one audit line.
     */
    public void aclsChanged() {
        Acls current = acls.get();
        for (ClientConnection connection : connections.values()) {
            for (Destination destination : connection.closeUnreadable(current)) {
                audit.info("AUTHZ REVOKED user={} action=read destination={} protocol={} remote={}",
                        connection.principal().user(), destination, connection.protocol(), connection.remoteAddress());
            }
        }
    }

    /** Write on every member of a composite, and admin on each that does not exist yet (it would be created). */
    void authorizeSend(ClientConnection connection, Destination destination) throws NotAuthorizedException {
        if (connection.principal() == null || acls.get().isEmpty()) {
            return;
        }
        if (destination.isComposite()) {
            for (String part : destination.name().split(",")) {
                String member = part.trim();
                if (!member.isEmpty()) {
                    authorizeSend(connection, Destination.parse(member, destination.type()));
                }
            }
            return;
        }
        authorize(connection, Acls.Action.WRITE, destination);
        authorizeCreate(connection, destination);
    }

    /** Read on the destination or pattern, and admin when a plain destination would be created. */
    void authorizeSubscribe(ClientConnection connection, Destination destination) throws NotAuthorizedException {
        if (connection.principal() == null || acls.get().isEmpty() || destination.isComposite()) {
            return;
        }
        authorize(connection, Acls.Action.READ, destination);
        authorizeCreate(connection, destination);
    }

    private void authorizeCreate(ClientConnection connection, Destination destination) throws NotAuthorizedException {
        if (destination.isWildcard() || destination.type().isTemporary() || composites.containsKey(destination)) {
            return;
        }
        boolean exists = destination.isTopic() ? topics.contains(destination.name())
                : queues.containsKey(destination.name());
        if (!exists) {
            authorize(connection, Acls.Action.ADMIN, destination);
        }
    }

    /**
     * A connection of the broker's own, for messages a protocol module publishes itself (wills,
     * status topics). It is not a client: it is neither counted nor logged.
     */
    public BrokerConnection internalConnection(String protocol) {
        return new ClientConnection(this, "internal-" + protocol, protocol, null, null);
    }

    void connectionClosed(ClientConnection connection, String reason) {
        if (connections.remove(connection.id()) == null) {
            return;
        }
        if (connection.principal() != null) {
            connectionsPerUser.closed(connection.principal().user());
        }
        if (connection.clientId() != null) {
            clientIds.remove(connection.clientId(), connection);
        }
        log.info("Connection closed: protocol={} remote={} clientId={} id={} reason={}", connection.protocol(),
                connection.remoteAddress(), connection.clientId(), connection.id(), reason);
    }

    /** Closes every client connection, for a graceful stop. */
    public void closeAllConnections(String reason) {
        for (ClientConnection connection : new ArrayList<>(connections.values())) {
            connection.close(reason);
        }
    }

    /** Requests refused by an ACL since start (sends, including dropped QoS 0 publishes, subscriptions, creations). */
    public long authorizationRefusals() {
        return messagesRefused.sum();
    }

    public int connectionCount() {
        return connections.size();
    }

    // ---- sending ----

    CompletionStage<Void> send(Message message) {
        messagesReceived.increment();
        Schedule schedule;
        try {
            schedule = Schedule.of(message);
        } catch (BrokerException e) {
            return CompletableFuture.failedFuture(e);
        }
        return schedule == null ? route(message) : scheduler.schedule(message, schedule);
    }

    /**
     * Routes the message and keeps it as its topic's retained message (an empty body clears that
     * instead); completes once both are done.
     */
    CompletionStage<Void> sendRetained(Message message) {
        if (message.destination().type() != DestinationType.TOPIC || message.destination().isComposite()) {
            return CompletableFuture.failedFuture(new BrokerException("only a message sent to one topic can be retained, not "
                    + message.destination()));
        }
        try {
            if (Schedule.of(message) != null) {
                throw new BrokerException("a retained message cannot be scheduled; the message is not sent");
            }
        } catch (BrokerException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletionStage<Void> routed = send(message);
        return routed.thenCompose(ok -> retained.retain(message));
    }

    CompletionStage<List<Message>> browse(ClientConnection connection, Destination destination, String selectorText)
            throws BrokerException {
        Selector selector = parseSelector(selectorText);
        Queue queue = destination.type() == DestinationType.TEMP_QUEUE ? temporaryQueues.get(destination.name())
                : destination.type() == DestinationType.QUEUE ? queues.get(destination.name()) : null;
        if (destination.isTopic()) {
            throw new BrokerException("only queues can be browsed, not " + destination);
        }
        CompletableFuture<List<Message>> result = new CompletableFuture<>();
        if (queue == null) {
            result.complete(List.of());
        } else {
            queue.browse(selector, result);
        }
        return result;
    }

    List<Message> retainedMessages(Destination pattern) throws BrokerException {
        if (pattern.type() != DestinationType.TOPIC) {
            return List.of();
        }
        checkPattern(pattern.name());
        return retained.matching(pattern.name());
    }

    /**
     * Checks that the message can be routed, creating destinations its first use may create, and
     * that its schedule, if any, is valid.
     */
    void validateSend(Message message) throws BrokerException {
        resolve(message.destination(), new Targets(), 0);
        Schedule.of(message);
    }

    MessageScheduler scheduler() {
        return scheduler;
    }

    long nextMessageId() {
        return messageIds.incrementAndGet();
    }

    /**
     * Routes one delivery of a scheduled message. A delivery of a persistent schedule that reaches a
     * durable queue is stored with the schedule's next state ({@code recorded}; null otherwise).
     */
    CompletionStage<Void> routeScheduled(Message delivery, MessageScheduler.ScheduledDelivery recorded) {
        RoutePlan plan;
        try {
            plan = plan(delivery);
        } catch (BrokerException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> accepted = new CompletableFuture<>();
        admit(plan, accepted, recorded);
        return accepted;
    }

    CompletionStage<Void> route(Message message) {
        RoutePlan plan;
        try {
            plan = plan(message);
        } catch (BrokerException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> accepted = new CompletableFuture<>();
        admit(plan, accepted, null);
        return accepted;
    }

    /**
     * Takes a planned message in, unless a full destination or the disk limit says the producer
     * must wait (then this runs again when there is room) or be refused.
     */
    private void admit(RoutePlan plan, CompletableFuture<Void> accepted, MessageScheduler.ScheduledDelivery recorded) {
        for (Queue queue : plan.queues()) {
            if (!queue.full()) {
                continue;
            }
            FullPolicy policy = queue.policy().fullPolicy();
            if (policy == FullPolicy.FAIL) {
                accepted.completeExceptionally(new BrokerException("destination '" + queue.origin().name()
                        + "' is full (memoryLimit " + queue.policy().memoryLimit() + " bytes); send refused"));
                return;
            }
            if (policy == FullPolicy.BLOCK) {
                queue.whenSpace(() -> admit(plan, accepted, recorded));
                return;
            }
        }
        long[] durable = plan.durableQueueIds();
        for (Queue queue : plan.queues()) {
            queue.ensureDefinitionStored();
        }
        if (durable.length == 0) {
            plan.enqueue(accepted);
            return;
        }
        if (resources.diskLimitReached()) {
            if (resources.limits().diskFullPolicy() == DiskFullPolicy.FAIL) {
                accepted.completeExceptionally(new BrokerException("the broker's disk usage limit ("
                        + resources.limits().maxDiskUsage() + " bytes) is reached; persistent send refused"));
            } else {
                resources.whenDiskAvailable(() -> admit(plan, accepted, recorded));
            }
            return;
        }
        // Stored first, then delivered: nothing is consumed that a crash could take back.
        CompletableFuture<Void> stored = recorded == null ? store.addMessage(plan.message(), durable)
                : recorded.store(store, plan.message(), durable);
        stored.whenComplete((ok, failure) -> {
            if (failure != null) {
                accepted.completeExceptionally(new BrokerException("the message could not be stored: "
                        + (failure.getMessage() != null ? failure.getMessage() : failure.toString()), failure));
            } else {
                plan.enqueue(accepted);
            }
        });
    }

    /**
     * Resolves where a message goes (applying subscription selectors) and gives it its broker id.
     * Nothing is delivered until the plan's {@link RoutePlan#enqueue()}.
     */
    RoutePlan plan(Message message) throws BrokerException {
        Targets targets = new Targets();
        resolve(message.destination(), targets, 0);
        message.assignBrokerId(messageIds.incrementAndGet());
        RoutePlan plan = new RoutePlan(message);
        if (message.isExpired(System.currentTimeMillis())) {
            log.debug("Message {} expired before it was routed", message.messageId());
            return plan;
        }
        // Each queue and subscription once, however many ways the message reaches it (a composite
        // naming it twice, a wildcard matching two members); a subscription keeps the first topic.
        if (targets.topics.isEmpty() && targets.temporaryTopics.isEmpty()) {
            for (Queue queue : targets.queues) {
                plan.add(queue, queue.origin());
            }
            return plan;
        }
        Map<TopicSubscription, Destination> subscribers = new LinkedHashMap<>();
        for (String topic : targets.topics) {
            Destination published = Destination.topic(topic);
            topicIndex.match(topic, subscription -> subscribers.putIfAbsent(subscription, published));
            if (topic.startsWith(VIRTUAL_TOPIC_PREFIX)) {
                targets.queues.addAll(virtualTopicQueues.getOrDefault(topic, List.of()));
            }
        }
        for (String topic : targets.temporaryTopics) {
            Destination published = new Destination(DestinationType.TEMP_TOPIC, topic);
            temporaryTopicIndex.match(topic, subscription -> subscribers.putIfAbsent(subscription, published));
        }
        for (Queue queue : targets.queues) {
            plan.add(queue, queue.origin());
        }
        subscribers.forEach((subscription, topic) -> {
            if (subscription.accepts(message)) {
                if (subscription.queue().atCapacity()) {
                    // A bounded subscription that is full drops what arrives, before it costs anything.
                    messagesDropped.increment();
                } else {
                    plan.add(subscription.queue(), topic);
                }
            }
        });
        return plan;
    }

    /** Sends a dead letter or expired message to a broker-owned queue, which is always created. */
    void routeInternally(Message message, String queueName) {
        message.assignBrokerId(messageIds.incrementAndGet());
        Queue queue = queues.computeIfAbsent(queueName, this::newQueue);
        if (message.persistent()) {
            store.addMessage(message, new long[] {queue.storeId()})
                    .whenComplete((ok, failure) -> {
                        if (failure == null) {
                            queue.enqueue(message);
                        } else {
                            log.error("Could not store message {} moved to {}; it is dropped", message.messageId(),
                                    queueName, failure);
                        }
                    });
        } else {
            queue.enqueue(message);
        }
    }

    MessageStore store() {
        return store;
    }

    Resources resources() {
        return resources;
    }

    /** Message bytes held in memory by all queues. */
    public long memoryUsed() {
        return resources.memoryUsed();
    }

    private static final class Targets {
        final Set<Queue> queues = new LinkedHashSet<>(2);
        final Set<String> topics = new LinkedHashSet<>(2);
        final Set<String> temporaryTopics = new LinkedHashSet<>(1);
    }

    private void resolve(Destination destination, Targets targets, int depth) throws BrokerException {
        if (depth > MAX_COMPOSITE_DEPTH) {
            throw new BrokerException("composite destinations nest deeper than " + MAX_COMPOSITE_DEPTH
                    + " levels at " + destination + " (check the composites in the configuration for a cycle)");
        }
        if (destination.isComposite()) {
            for (String part : destination.name().split(",")) {
                String member = part.trim();
                if (member.isEmpty()) {
                    throw new BrokerException("empty member in composite destination '" + destination.name() + "'");
                }
                resolve(Destination.parse(member, destination.type()), targets, depth + 1);
            }
            return;
        }
        checkName(destination);
        List<Destination> declared = composites.getOrDefault(destination, List.of());
        if (!declared.isEmpty()) {
            for (Destination member : declared) {
                resolve(member, targets, depth + 1);
            }
            return;
        }
        String name = destination.name();
        switch (destination.type()) {
            case QUEUE -> targets.queues.add(queueForUse(name));
            case TOPIC -> {
                topicForUse(name);
                targets.topics.add(name);
            }
            case TEMP_QUEUE -> {
                Queue queue = temporaryQueues.get(name);
                if (queue == null) {
                    throw new BrokerException("temporary queue '" + name + "' does not exist (its connection has closed)");
                }
                targets.queues.add(queue);
            }
            case TEMP_TOPIC -> {
                if (!temporaryTopics.contains(name)) {
                    throw new BrokerException("temporary topic '" + name + "' does not exist (its connection has closed)");
                }
                targets.temporaryTopics.add(name);
            }
        }
    }

    private static void checkName(Destination destination) throws BrokerException {
        String name = destination.name();
        // Topics may have empty words: MQTT topics such as "/devices/a" or "a//b" have empty levels.
        boolean emptyWord = name.startsWith(".") || name.endsWith(".") || name.contains("..");
        if (name.isEmpty() || (emptyWord && !destination.isTopic())) {
            throw new BrokerException("invalid destination name '" + name
                    + "': use words separated by single dots, e.g. orders.eu");
        }
        if (destination.isWildcard()) {
            throw new BrokerException("cannot send to '" + name + "': wildcards (* and >) are for topic subscriptions only");
        }
    }

    private Queue queueForUse(String name) throws BrokerException {
        Queue queue = queues.get(name);
        if (queue != null) {
            return queue;
        }
        if (!rules.autoCreate(name, false)) {
            throw new BrokerException("queue '" + name + "' does not exist and may not be auto-created");
        }
        return queues.computeIfAbsent(name, this::newQueue);
    }

    private void topicForUse(String name) throws BrokerException {
        if (!topics.contains(name)) {
            if (!rules.autoCreate(name, true)) {
                throw new BrokerException("topic '" + name + "' does not exist and may not be auto-created");
            }
            topics.add(name);
        }
    }

    private Queue newQueue(String name) {
        Queue queue = registerQueue(new QueueDefinition(queueIds.incrementAndGet(), name, null, null));
        queue.storeDefinition();
        return queue;
    }

    private Queue registerQueue(QueueDefinition definition) {
        String name = definition.name();
        Queue queue = new Queue(name, definition, Destination.queue(name), policy(name, false), this);
        String virtualTopic = virtualTopicOf(name);
        if (virtualTopic != null) {
            virtualTopicQueues.computeIfAbsent(virtualTopic, k -> new CopyOnWriteArrayList<>()).add(queue);
        }
        return queue;
    }

    /** {@code Consumer.<name>.VirtualTopic.X} consumes the virtual topic {@code VirtualTopic.X}. */
    static String virtualTopicOf(String queueName) {
        String[] words = TopicIndex.words(queueName);
        if (words.length >= 4 && words[0].equals("Consumer") && words[2].equals("VirtualTopic")) {
            return queueName.substring(words[0].length() + words[1].length() + 2);
        }
        return null;
    }

    // ---- subscribing ----

    Consumer subscribe(ClientConnection connection, SubscriptionSpec spec, ConsumerCallback callback)
            throws BrokerException {
        Destination destination = spec.destination();
        Selector selector = parseSelector(spec.selector());
        if (destination.isComposite()) {
            throw new BrokerException("cannot subscribe to composite destination '" + destination.name() + "'");
        }
        if (destination.isTopic()) {
            return subscribeToTopic(connection, spec, selector, callback);
        }
        if (spec.durableName() != null) {
            throw new BrokerException("durable subscriptions are for topics, not queue '" + destination.name() + "'");
        }
        Queue queue;
        if (destination.type() == DestinationType.TEMP_QUEUE) {
            queue = temporaryQueues.get(destination.name());
            if (queue == null) {
                throw new BrokerException("temporary queue '" + destination.name() + "' does not exist");
            }
            if (!connection.owns(destination)) {
                throw new BrokerException("temporary queue '" + destination.name()
                        + "' belongs to another connection; only its creator may consume from it");
            }
        } else {
            if (destination.isWildcard()) {
                throw new BrokerException("wildcards (* and >) are for topic subscriptions, not queue '"
                        + destination.name() + "'");
            }
            checkName(destination);
            queue = queueForUse(destination.name());
        }
        QueueConsumer consumer = new QueueConsumer(queue, callback, selector, spec.prefetch(), spec.exclusive(),
                spec.creditBased(), () -> { }).priority(spec.priority());
        queue.addConsumer(consumer);
        return consumer;
    }

    private Consumer subscribeToTopic(ClientConnection connection, SubscriptionSpec spec, Selector selector,
                                      ConsumerCallback callback) throws BrokerException {
        Destination topic = spec.destination();
        String pattern = topic.name();
        checkPattern(pattern);
        boolean temporary = topic.type() == DestinationType.TEMP_TOPIC;
        if (temporary && !temporaryTopics.contains(pattern)) {
            throw new BrokerException("temporary topic '" + pattern + "' does not exist");
        }
        if (temporary && !connection.owns(topic)) {
            throw new BrokerException("temporary topic '" + pattern
                    + "' belongs to another connection; only its creator may consume from it");
        }
        if (!temporary && !topic.isWildcard()) {
            topicForUse(pattern);
        }
        TopicIndex index = temporary ? temporaryTopicIndex : topicIndex;
        PolicyValues policy = policy(pattern, true);
        String noLocal = spec.noLocal() ? connection.senderId() : null;
        if (spec.shareGroup() != null && spec.durableName() == null) {
            return sharedSubscriptions.join(spec, selector, index, policy, callback);
        }
        if (spec.durableName() == null) {
            String name = "subscription." + connection.id() + "." + subscriptionIds.incrementAndGet();
            Queue queue = new Queue(name, null, topic, policy, this, spec.maxQueued(), connection.senderId());
            TopicSubscription subscription = new TopicSubscription(pattern, selector, queue, null, noLocal);
            subscriptions.put(name, subscription);
            index.add(subscription);
            QueueConsumer consumer = new QueueConsumer(queue, callback, null, spec.prefetch(), false, spec.creditBased(), () -> {
                index.remove(subscription);
                subscriptions.remove(name);
                queue.delete("subscription closed");
            });
            queue.addConsumer(consumer);
            return consumer;
        }
        if (temporary) {
            throw new BrokerException("durable subscriptions are not possible on temporary topics");
        }
        String clientId = connection.clientId();
        boolean shared = spec.shareGroup() != null;
        if (clientId == null && !shared) {
            throw new BrokerException("a durable subscription needs a client id on the connection");
        }
        String key = shared ? SHARED_DURABLE_PREFIX + spec.shareGroup() : clientId + ":" + spec.durableName();
        TopicSubscription subscription;
        synchronized (durableSubscriptions) {
            if (shared) {
                sharedDurableMembers.merge(key, 1, Integer::sum);
            } else if (!activeDurables.add(key)) {
                throw new BrokerException("durable subscription '" + spec.durableName() + "' of client '" + clientId
                        + "' is already active");
            }
            subscription = durableSubscriptions.get(key);
            if (subscription != null && (!subscription.pattern().equals(pattern)
                    || !Objects.equals(subscription.selectorText(), selector == null ? null : selector.text()))) {
                if (shared && sharedDurableMembers.get(key) > 1) {
                    sharedDurableMembers.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
                    throw new BrokerException("shared durable subscription '" + spec.durableName()
                            + "' is in use with another topic or selector");
                }
                // JMS: subscribing again with another topic or selector replaces the subscription.
                removeDurable(subscription);
                subscription = null;
            }
            if (subscription == null) {
                QueueDefinition definition = new QueueDefinition(queueIds.incrementAndGet(), key, pattern,
                        selector == null ? null : selector.text(), spec.maxQueued(), spec.persistentOnlyWhileInactive(),
                        clientId);
                subscription = registerDurable(definition, selector, policy, noLocal);
                subscription.queue().storeDefinition();
                log.info("Durable subscription created: {} on {}", key, topic);
            } else if (!Objects.equals(subscription.noLocal(), noLocal)) {
                // The no-local choice is the subscriber's of the moment; it is not stored.
                topicIndex.remove(subscription);
                subscription = new TopicSubscription(pattern, selector, subscription.queue(), key, noLocal);
                durableSubscriptions.put(key, subscription);
                topicIndex.add(subscription);
            }
        }
        Runnable leave = shared ? () -> sharedDurableMembers.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1)
                : () -> activeDurables.remove(key);
        QueueConsumer consumer = new QueueConsumer(subscription.queue(), callback, null, spec.prefetch(), false,
                spec.creditBased(), leave);
        subscription.queue().addConsumer(consumer);
        return consumer;
    }

    void unsubscribeDurable(ClientConnection connection, String subscriptionName) throws BrokerException {
        String clientId = connection.clientId();
        // A client's own durable subscription, else a shared durable one of its scope or global.
        String key = clientId == null ? null : clientId + ":" + subscriptionName;
        for (String candidate : new String[] {clientId == null ? null : SHARED_DURABLE_PREFIX + clientId + ":"
                + subscriptionName, SHARED_DURABLE_PREFIX + subscriptionName}) {
            if ((key == null || !durableSubscriptions.containsKey(key)) && candidate != null
                    && durableSubscriptions.containsKey(candidate)) {
                key = candidate;
            }
        }
        if (key == null) {
            throw new BrokerException("removing a durable subscription needs a client id on the connection");
        }
        synchronized (durableSubscriptions) {
            TopicSubscription subscription = durableSubscriptions.get(key);
            if (sharedDurableMembers.containsKey(key)) {
                throw new BrokerException("shared durable subscription '" + subscriptionName
                        + "' has consumers; close them first");
            }
            if (subscription == null) {
                throw new BrokerException("no durable subscription '" + subscriptionName + "' for client '" + clientId + "'");
            }
            if (activeDurables.contains(key)) {
                throw new BrokerException("durable subscription '" + subscriptionName + "' is active; close its consumer first");
            }
            removeDurable(subscription);
        }
    }

    private TopicSubscription registerDurable(QueueDefinition definition, Selector selector, PolicyValues policy,
                                              String noLocal) {
        String key = definition.name();
        Queue queue = new Queue(key, definition, Destination.topic(definition.topic()), policy, this);
        TopicSubscription subscription = new TopicSubscription(definition.topic(), selector, queue, key, noLocal);
        durableSubscriptions.put(key, subscription);
        topicIndex.add(subscription);
        return subscription;
    }

    private void removeDurable(TopicSubscription subscription) {
        topicIndex.remove(subscription);
        durableSubscriptions.remove(subscription.durableKey());
        subscription.queue().delete("durable subscription removed");
        store.removeQueue(subscription.queue().storeId());
        log.info("Durable subscription removed: {}", subscription.durableKey());
    }

    private static void checkPattern(String pattern) throws BrokerException {
        if (pattern.isEmpty()) {
            throw new BrokerException("invalid topic: the name is empty");
        }
        String[] words = TopicIndex.words(pattern);
        for (int i = 0; i < words.length; i++) {
            if (words[i].equals(Destination.ANY_REST) && i != words.length - 1) {
                throw new BrokerException("invalid topic pattern '" + pattern + "': '>' may only be the last word");
            }
        }
    }

    private static Selector parseSelector(String text) throws BrokerException {
        if (Selector.isEmpty(text)) {
            return null;
        }
        try {
            return Selector.parse(text);
        } catch (InvalidSelectorException e) {
            throw new BrokerException(e.getMessage(), e);
        }
    }

    // ---- recovery ----

    private void recover() {
        long started = System.nanoTime();
        Map<Long, Queue> byId = new HashMap<>();
        for (QueueDefinition definition : store.recoveredQueues()) {
            if (definition.isSubscription()) {
                Selector selector;
                try {
                    selector = parseSelector(definition.selector());
                } catch (BrokerException e) {
                    log.error("Stored durable subscription {} has an invalid selector and is dropped: {}",
                            definition.name(), e.getMessage());
                    store.removeQueue(definition.id());
                    continue;
                }
                TopicSubscription subscription = registerDurable(definition, selector,
                        policy(definition.topic(), true), null);
                byId.put(definition.id(), subscription.queue());
            } else {
                Queue queue = registerQueue(definition);
                queues.put(definition.name(), queue);
                byId.put(definition.id(), queue);
            }
        }
        long messages = 0;
        // Bounded hand-over: a queue pages what does not fit in memory, but only if it is not
        // handed messages faster than it takes them.
        Semaphore inFlight = new Semaphore(RECOVERY_WINDOW);
        for (Map.Entry<Long, long[]> entry : store.recoveredMessages().entrySet()) {
            Queue queue = byId.get(entry.getKey());
            if (queue == null) {
                log.error("Stored messages of unknown queue {} are skipped", entry.getKey());
                continue;
            }
            for (long messageId : entry.getValue()) {
                Message message;
                try {
                    message = store.loadMessage(messageId);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read stored message " + messageId, e);
                }
                recoveryObserver.accept(message);
                inFlight.acquireUninterruptibly();
                queue.enqueue(message, queue.addressedTo(message), true, inFlight::release);
                messages++;
            }
        }
        inFlight.acquireUninterruptibly(RECOVERY_WINDOW);
        if (!byId.isEmpty()) {
            log.info("Recovered {} durable queues and subscriptions holding {} messages in {} ms", byId.size(), messages,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
    }

    // ---- temporary destinations ----

    void createTemporary(Destination destination, ClientConnection owner) {
        if (destination.type() == DestinationType.TEMP_QUEUE) {
            temporaryQueues.put(destination.name(), new Queue(destination.name(), null, destination,
                    policy(destination.name(), false), this));
        } else {
            temporaryTopics.add(destination.name());
        }
        for (BrokerEvents listener : listeners) {
            listener.temporaryDestinationCreated(destination);
        }
    }

    void deleteTemporary(Destination destination, String why) {
        if (destination.type() == DestinationType.TEMP_QUEUE) {
            Queue queue = temporaryQueues.remove(destination.name());
            if (queue != null) {
                queue.delete(why);
            }
        } else {
            temporaryTopics.remove(destination.name());
        }
        for (BrokerEvents listener : listeners) {
            listener.temporaryDestinationDeleted(destination);
        }
    }

    /** The temporary destinations of every connection. */
    public List<Destination> temporaryDestinations() {
        List<Destination> result = new ArrayList<>();
        for (String name : temporaryQueues.keySet()) {
            result.add(new Destination(DestinationType.TEMP_QUEUE, name));
        }
        for (String name : temporaryTopics) {
            result.add(new Destination(DestinationType.TEMP_TOPIC, name));
        }
        return result;
    }

    // ---- events ----

    public void watch(BrokerEvents listener) {
        listeners.add(listener);
    }

    void consumerOpened(Destination destination, String consumerId) {
        int count = consumerCounts.merge(destination, 1, Integer::sum);
        for (BrokerEvents listener : listeners) {
            listener.consumerOpened(destination, consumerId, count);
        }
    }

    void consumerClosed(Destination destination, String consumerId) {
        Integer left = consumerCounts.computeIfPresent(destination, (d, n) -> n == 1 ? null : n - 1);
        for (BrokerEvents listener : listeners) {
            listener.consumerClosed(destination, consumerId, left == null ? 0 : left);
        }
    }

    // ---- management ----

    /** A snapshot of one queue's counters. */
    public record QueueInfo(String name, int depth, int consumers, long enqueued, long dequeued) {
    }

    /** Queues, durable subscriptions and temporary queues, by name. */
    public List<QueueInfo> queues() {
        List<QueueInfo> result = new ArrayList<>();
        for (Queue q : allQueues()) {
            result.add(new QueueInfo(q.name(), q.depth(), q.consumerCount(), q.enqueuedCount(), q.dequeuedCount()));
        }
        result.sort(Comparator.comparing(QueueInfo::name));
        return result;
    }

    /** The named queue's counters, or null when it does not exist. */
    public QueueInfo queue(String name) {
        for (QueueInfo info : queues()) {
            if (info.name().equals(name)) {
                return info;
            }
        }
        return null;
    }

    public Set<String> topics() {
        return Set.copyOf(topics);
    }

    /** Every queue the broker holds, including subscription and temporary queues. */
    List<Queue> allQueues() {
        List<Queue> all = new ArrayList<>(queues.values());
        all.addAll(temporaryQueues.values());
        durableSubscriptions.values().forEach(s -> all.add(s.queue()));
        subscriptions.values().forEach(s -> all.add(s.queue()));
        return all;
    }

    // ---- shared facilities for queues ----

    private PolicyValues policy(String name, boolean topic) {
        return rules.policyFor(name, topic).values();
    }

    SerialExecutor newSerialExecutor() {
        return new SerialExecutor(dispatchPool,
                (thread, error) -> log.error("Unexpected error in queue dispatch", error));
    }

    private void scheduleExpirySweep() {
        expirySweep = timer.newTimeout(t -> {
            for (Queue queue : allQueues()) {
                if (queue.needsExpirySweep()) {
                    queue.sweepExpired();
                }
            }
            resources.releaseDiskWaiters();
            scheduleExpirySweep();
        }, rules.expiryScanInterval().toMillis(), TimeUnit.MILLISECONDS);
    }
}
