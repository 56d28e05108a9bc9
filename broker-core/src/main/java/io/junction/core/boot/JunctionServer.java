package io.junction.core.boot;

import io.junction.core.broker.Broker;
import io.junction.core.broker.Limits;
import io.junction.core.config.BrokerConfig;
import io.junction.core.config.ListenerConfig;
import io.junction.core.config.StoreConfig;
import io.junction.core.security.Authenticator;
import io.junction.core.security.ConnectionsPerUser;
import io.junction.core.spi.ProtocolContext;
import io.junction.core.spi.ProtocolModule;
import io.junction.core.spi.Setting;
import io.junction.core.store.MessageStore;
import io.junction.core.store.journal.CorruptJournalException;
import io.junction.core.store.journal.JournalFiles;
import io.junction.core.store.journal.JournalOptions;
import io.junction.core.transport.EventLoops;
import io.junction.core.transport.Listener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * A whole broker: the routing core, the protocol modules found on the class path, and the
 * listeners of the configuration. Embeddable: tests start one in-process on ephemeral ports.
 */
public final class JunctionServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JunctionServer.class);

    private final BrokerConfig config;
    private final Map<String, ProtocolModule> modules;
    private final List<Listener> listeners = new ArrayList<>();
    private Broker broker;
    private Authenticator authenticator;
    private EventLoops eventLoops;
    private DataDirectoryLock lock;
    private MessageStore store;
    private boolean salvage;
    private boolean stopped;
    private final List<ProtocolModule> startedModules = new ArrayList<>();

    public JunctionServer(BrokerConfig config, Map<String, ProtocolModule> modules) {
        this.config = config;
        this.modules = modules;
    }

    /** The protocol modules on the class path, by name. */
    public static Map<String, ProtocolModule> discoverModules() {
        Map<String, ProtocolModule> found = new LinkedHashMap<>();
        for (ProtocolModule module : ServiceLoader.load(ProtocolModule.class)) {
            ProtocolModule previous = found.putIfAbsent(module.name(), module);
            if (previous != null) {
                throw new IllegalStateException("two protocol modules are named '" + module.name() + "': "
                        + previous.getClass().getName() + " and " + module.getClass().getName());
            }
        }
        return found;
    }

    /** Each module's declared settings, which the config loader validates against. */
    public static Map<String, List<Setting<?>>> settingsOf(Map<String, ProtocolModule> modules) {
        Map<String, List<Setting<?>>> settings = new LinkedHashMap<>();
        modules.forEach((name, module) -> settings.put(name, module.settings()));
        return settings;
    }

    /** Locks the data directory, starts the core, then opens the listeners. */
    public synchronized void start() {
        lock = DataDirectoryLock.acquire(config.broker().dataDirectory());
        try {
            authenticator = new Authenticator(config.security(), config.listeners());
            authenticator.load();
            int cores = Runtime.getRuntime().availableProcessors();
            store = openStore();
            Limits limits = new Limits(config.memory().maxBrokerMemory(), config.store().maxDiskUsage(),
                    config.store().diskFullPolicy(), config.broker().dataDirectory().resolve("paging"));
            broker = new Broker(config.destinations(), limits, cores, store);
            Authenticator acl = authenticator;
            broker.acls(() -> acl.users().acls());
            broker.connectionsPerUser(new ConnectionsPerUser(config.security().maxConnectionsPerUser(), acl::users));
            broker.maxScheduledMessages(config.memory().maxScheduledMessages());
            broker.observeRecovery(message -> modules.values().forEach(module -> module.recovered(message)));
            broker.start();
            authenticator.onReload(broker::aclsChanged);
            authenticator.watch(broker.timer());
            eventLoops = new EventLoops(cores);
            Map<String, ProtocolContext> contexts = new LinkedHashMap<>();
            modules.forEach((name, module) ->
                    contexts.put(name, new ModuleContext(name, config.protocols().get(name), broker, store,
                            authenticator)));
            modules.forEach((name, module) -> {
                module.start(contexts.get(name));
                startedModules.add(module);
            });
            for (ListenerConfig lc : config.listeners()) {
                if (!lc.enabled()) {
                    continue;
                }
                Map<ProtocolModule, ProtocolContext> served = new LinkedHashMap<>();
                for (String protocol : lc.protocols()) {
                    served.put(modules.get(protocol), contexts.get(protocol));
                }
                Listener listener = new Listener(lc, served);
                listener.bind(eventLoops);
                listeners.add(listener);
            }
            Authenticator.warnAboutExposedListeners(config.listeners());
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        log.info("Junction broker '{}' started; data in {}", config.broker().name(), config.broker().dataDirectory());
    }

    /**
     * Start even if a journal segment is damaged in its middle: the damaged segment file is moved to
     * {@code <data>/journal/quarantine/} (never deleted) and everything else is recovered. Off by
     * default, since the records of that segment are then missing.
     */
    public void salvageDamagedJournal(boolean salvage) {
        this.salvage = salvage;
    }

    private MessageStore openStore() {
        Path directory = config.broker().dataDirectory().resolve("journal");
        StoreConfig settings = config.store();
        JournalOptions options = new JournalOptions((int) settings.segmentSize(), settings.fsync(),
                settings.fsyncInterval(), (int) Math.min(settings.segmentSize(), 1024 * 1024));
        boolean quarantined = false;
        try {
            while (true) {
                try {
                    return MessageStore.open(directory, options, JournalFiles.DISK, settings.compactBelowPercent(),
                            quarantined);
                } catch (CorruptJournalException e) {
                    if (!salvage) {
                        throw new IllegalStateException(e.getMessage() + "; the broker will not start on a damaged "
                                + "journal. To move the damaged segment aside and recover everything else, start with "
                                + "--salvage", e);
                    }
                    quarantine(e);
                    quarantined = true;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the journal in " + directory + ": " + e.getMessage(), e);
        }
    }

    private static void quarantine(CorruptJournalException e) throws IOException {
        Path quarantine = e.file().resolveSibling("quarantine");
        Files.createDirectories(quarantine);
        Path target = quarantine.resolve(e.file().getFileName() + "." + System.currentTimeMillis());
        Files.move(e.file(), target);
        log.warn("Salvage: {}; moved {} to {} and recovering the rest (the records of that segment are not "
                + "recovered)", e.getMessage(), e.file().getFileName(), target);
    }

    /** The port a listener is bound to. */
    public int port(String listenerName) {
        return listener(listenerName).boundPort();
    }

    /** Connections a listener refused since start because its {@code maxConnections} were open. */
    public long refusedConnections(String listenerName) {
        return listener(listenerName).refusedConnections();
    }

    private Listener listener(String listenerName) {
        for (Listener listener : listeners) {
            if (listener.name().equals(listenerName)) {
                return listener;
            }
        }
        throw new IllegalArgumentException("no started listener named '" + listenerName + "'");
    }

    public Broker broker() {
        return broker;
    }

    /** Who may connect: users, listener policies, failed logins. */
    public Authenticator authenticator() {
        return authenticator;
    }

    /** The message store, for statistics (journal forces, disk usage). */
    public MessageStore store() {
        return store;
    }

    public BrokerConfig config() {
        return config;
    }

    /**
     * Graceful stop: no new connections, then every connection is closed (unacknowledged
     * messages go back to their queues), then the core stops and the data directory is released.
     */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        log.info("Junction broker '{}' stopping", config.broker().name());
        listeners.forEach(Listener::stopAccepting);
        if (authenticator != null) {
            authenticator.stop();
        }
        for (ProtocolModule module : startedModules) {
            try {
                module.stop();
            } catch (RuntimeException e) {
                log.warn("Protocol module {} failed to stop cleanly", module.name(), e);
            }
        }
        listeners.forEach(Listener::closeConnections);
        // Stopping the event loops runs the close events still queued on them, so every
        // connection has released its consumers before the dispatch threads stop.
        if (eventLoops != null) {
            eventLoops.close();
        }
        if (broker != null) {
            broker.closeAllConnections("broker stopping");
            broker.stop();
        }
        // Last: acks given back while connections closed are written before the journal closes.
        if (store != null) {
            store.close();
        }
        if (lock != null) {
            lock.close();
        }
        log.info("Junction broker '{}' stopped", config.broker().name());
    }

    @Override
    public void close() {
        stop();
    }
}
