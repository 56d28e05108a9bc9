package io.junction.core.security;

import io.junction.core.config.ConfigException;
import io.junction.core.config.ListenerConfig;
import io.junction.core.config.SecurityConfig;
import io.junction.core.config.Transport;
import io.junction.core.config.UsersReader;
import io.junction.core.spi.AuthenticationException;
import io.junction.core.spi.AuthenticationException.Reason;
import io.junction.core.spi.Credentials;
import io.junction.core.spi.Principal;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Decides who a connection is, for every protocol: the users of {@code users.yaml} (reloaded
 * when the file changes, keeping the previous state when an edit is invalid), the anonymous
 * policy of each listener, its allowed groups, and the delay of failed logins per remote address.
 * Every decision is written to the audit logger {@value #AUDIT_LOGGER}.
 *
 * <p>A listener that does not say {@code allowAnonymous} allows anonymous connections when it is
 * bound to a loopback address and refuses them otherwise, as Mosquitto 2 does.
 */
public final class Authenticator {

    public static final String AUDIT_LOGGER = "junction.audit";
    /** How often the users file is checked for changes. */
    public static final long RELOAD_CHECK_MILLIS = 1000;
    public static final long FAILED_LOGIN_BASE_DELAY_MILLIS = 250;
    public static final long FAILED_LOGIN_MAX_DELAY_MILLIS = 10_000;

    private static final Logger log = LoggerFactory.getLogger(Authenticator.class);
    private static final Logger audit = LoggerFactory.getLogger(AUDIT_LOGGER);

    private final Path usersFile;
    private final Map<String, Policy> policies = new HashMap<>();
    private final LoginThrottle throttle;
    /** Keyed MAC of the stored hash and password of recent successful logins, so that PBKDF2 runs once per user. */
    private final Map<String, byte[]> verified = new ConcurrentHashMap<>();
    private final byte[] cacheKey = new byte[32];
    private volatile Users users = Users.NONE;
    private volatile Object fileVersion = "none";
    private volatile boolean stopped;
    private volatile Timeout reloadTimeout;
    private volatile Runnable onReload = () -> { };

    /** A listener's resolved access policy. */
    private record Policy(boolean allowAnonymous, List<String> groups) {
    }

    public Authenticator(SecurityConfig config, List<ListenerConfig> listeners) {
        this(config, listeners, FAILED_LOGIN_BASE_DELAY_MILLIS, FAILED_LOGIN_MAX_DELAY_MILLIS, System::currentTimeMillis);
    }

    Authenticator(SecurityConfig config, List<ListenerConfig> listeners, long baseDelayMillis, long maxDelayMillis,
                  LongSupplier clockMillis) {
        this.usersFile = config.usersFile();
        this.throttle = new LoginThrottle(baseDelayMillis, maxDelayMillis, clockMillis);
        for (ListenerConfig listener : listeners) {
            ListenerAccess access = config.access(listener.name());
            boolean anonymous = access.allowAnonymous().orElseGet(() -> isLoopback(listener.host()));
            policies.put(listener.name(), new Policy(anonymous, access.groups()));
        }
        new SecureRandom().nextBytes(cacheKey);
    }

    /**
     * Loads the users file; a missing file means no users yet (it is picked up once created).
     *
     * @throws ConfigException when the file is invalid, so that the broker does not start on it
     */
    public void load() {
        Object version = version();
        if (version == null) {
            log.info("No users file at {}: only anonymous connections are accepted until it is created "
                    + "(bin/junction users add)", usersFile);
            users = Users.NONE;
            fileVersion = "none";
            return;
        }
        users = UsersReader.read(usersFile);
        fileVersion = version;
        log.info("Read {} user(s) from {}", users.users().size(), usersFile);
    }

    /** Checks the users file for changes every {@link #RELOAD_CHECK_MILLIS} on the broker's timer. */
    public void watch(Timer timer) {
        if (!stopped) {
            reloadTimeout = timer.newTimeout(t -> {
                reloadIfChanged();
                watch(timer);
            }, RELOAD_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Runs after each reload that took effect, to apply new ACLs to what is open. */
    public void onReload(Runnable listener) {
        this.onReload = Objects.requireNonNull(listener);
    }

    public void stop() {
        stopped = true;
        Timeout timeout = reloadTimeout;
        if (timeout != null) {
            timeout.cancel();
        }
    }

    /**
     * Reads the users file again when its size, modification time or content changed. An invalid
     * file is reported as an ERROR with its name and line and the previous users stay in force.
     *
     * @return true when new users took effect
     */
    public boolean reloadIfChanged() {
        Object version = version();
        if (Objects.equals(version, fileVersion) || (version == null && "none".equals(fileVersion))) {
            return false;
        }
        if (version == null) {
            log.warn("Users file {} was removed; keeping the {} user(s) read before", usersFile,
                    users.users().size());
            fileVersion = "none";
            return false;
        }
        try {
            Users read = UsersReader.read(usersFile);
            audit.info("ADMIN users file reloaded file={} changes=\"{}\"", usersFile, UsersChange.describe(users, read));
            users = read;
            fileVersion = version;
            verified.clear();
            log.info("Users file {} changed: {} user(s) now", usersFile, read.users().size());
            onReload.run();
            return true;
        } catch (ConfigException e) {
            fileVersion = version;
            log.error("Users file not reloaded, the previous users stay in force: {}", e.getMessage());
            return false;
        }
    }

    public Users users() {
        return users;
    }

    /**
     * Accepts or refuses a connection's credentials.
     *
     * @throws AuthenticationException with the delay to wait before the protocol's refusal
     */
    public Principal authenticate(String protocol, Credentials credentials) throws AuthenticationException {
        String listener = credentials.listener();
        Policy policy = listener == null ? null : policies.get(listener);
        String who = credentials.anonymous() ? "(anonymous)" : credentials.username();
        long locked = throttle.lockedFor(credentials.remoteAddress());
        if (locked > 0) {
            throw refuse(Reason.BAD_CREDENTIALS, protocol, credentials, who,
                    "too many failed logins from this address", locked, false);
        }
        if (policy == null) {
            // A listener of its own the broker does not know (an internal or test channel) gets no anonymous access.
            policy = new Policy(false, List.of());
        }
        Users current = users;
        Principal principal;
        if (credentials.anonymous()) {
            if (!policy.allowAnonymous) {
                throw refuse(Reason.BAD_CREDENTIALS, protocol, credentials, who,
                        "anonymous access is not allowed on listener '" + listener + "'", 0, true);
            }
            Users.Guest guest = current.anonymous();
            principal = guest != null && guest.enabled()
                    ? new Principal(guest.user(), new LinkedHashSet<>(guest.groups()), true)
                    : new Principal(Principal.ANONYMOUS, Set.of(), true);
        } else {
            User user = current.user(credentials.username()).orElse(null);
            if (user == null || !passwordMatches(user, credentials.password())) {
                throw refuse(Reason.BAD_CREDENTIALS, protocol, credentials, who,
                        "unknown user or wrong password", 0, true);
            }
            principal = new Principal(user.name(), new LinkedHashSet<>(user.groups()), false);
        }
        if (!policy.groups.isEmpty() && policy.groups.stream().noneMatch(principal.groups()::contains)) {
            throw refuse(Reason.NOT_AUTHORIZED, protocol, credentials, who,
                    "not in a group allowed on listener '" + listener + "' " + policy.groups, 0, true);
        }
        throttle.succeeded(credentials.remoteAddress());
        audit.info("AUTH OK user={} groups={} remote={} protocol={} listener={}", principal.user(),
                principal.groups(), credentials.remoteAddress(), protocol, listener);
        return principal;
    }

    /** Consecutive failed logins recorded for the address. */
    public int failedLogins(java.net.SocketAddress address) {
        return throttle.failures(address);
    }

    private AuthenticationException refuse(Reason reason, String protocol, Credentials credentials, String who,
                                           String why, long delay, boolean count) {
        long wait = count ? throttle.failed(credentials.remoteAddress()) : delay;
        audit.info("AUTH FAILED user={} remote={} protocol={} listener={} reason=\"{}\"", who,
                credentials.remoteAddress(), protocol, credentials.listener(), why);
        log.info("Login refused: user={} remote={} protocol={} listener={}: {} (refusal in {} ms)", who,
                credentials.remoteAddress(), protocol, credentials.listener(), why, wait);
        String message = reason == Reason.NOT_AUTHORIZED ? "not authorized" : "authentication failed";
        return new AuthenticationException(reason, message, wait);
    }

    private boolean passwordMatches(User user, char[] password) {
        if (password == null) {
            return false;
        }
        byte[] token = token(user, password);
        byte[] known = verified.get(user.name());
        if (known != null && MessageDigest.isEqual(known, token)) {
            return true;
        }
        if (user.password().matches(password)) {
            verified.put(user.name(), token);
            return true;
        }
        return false;
    }

    private byte[] token(User user, char[] password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(cacheKey, "HmacSHA256"));
            mac.update(user.password().encoded().getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
            byte[] raw = Arrays.copyOfRange(bytes.array(), bytes.position(), bytes.limit());
            Arrays.fill(bytes.array(), (byte) 0);
            byte[] result = mac.doFinal(raw);
            Arrays.fill(raw, (byte) 0);
            return result;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** What identifies the file's current content, or null when there is no file. */
    private Object version() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(usersFile, BasicFileAttributes.class);
            // Size and time may both stay the same over a quick edit: the content decides.
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(usersFile));
            return List.of(attributes.size(), attributes.lastModifiedTime().toMillis(), Arrays.toString(digest));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | GeneralSecurityException e) {
            log.warn("Cannot read users file {}: {}", usersFile, e.getMessage());
            return fileVersion;
        }
    }

    /** True for a loopback address literal or {@code localhost}; a name is resolved. */
    public static boolean isLoopback(String host) {
        if (host.equals("localhost")) {
            return true;
        }
        try {
            String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Logs a WARN for each enabled listener reachable from the network without TLS. */
    public static void warnAboutExposedListeners(List<ListenerConfig> listeners) {
        for (ListenerConfig listener : listeners) {
            boolean plain = listener.transport() == Transport.TCP || listener.transport() == Transport.WS;
            if (listener.enabled() && plain && !isLoopback(listener.host())) {
                log.warn("Listener {} on {}:{} is reachable from the network without TLS: passwords and messages "
                        + "cross it in clear text", listener.name(), listener.host(), listener.port());
            }
        }
    }

    /** The policy of a listener, for tests and status output: whether anonymous connections are allowed. */
    public boolean allowsAnonymous(String listener) {
        Policy policy = policies.get(listener);
        return policy != null && policy.allowAnonymous;
    }
}
