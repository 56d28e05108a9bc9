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
import io.junction.core.util.NamedThreadFactory;
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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Decides who a connection is, for every protocol: the users of {@code users.yaml} (reloaded
 * when the file changes, keeping the previous state when an edit is invalid), the anonymous
 * policy of each listener, its allowed groups, and the delay of failed logins per remote address.
 * Every decision is written to the audit logger {@value #AUDIT_LOGGER}.
 *
 * <p>A listener that does not say {@code allowAnonymous} allows anonymous connections when it is
 * bound to a loopback address and refuses them otherwise, as Mosquitto 2 does.
 *
 * <p>Password hashes (PBKDF2, a large part of a second each) are computed on at most
 * {@value #HASH_THREADS} threads of its own ({@code junction-auth-N}), never on an event loop;
 * once a user's password was verified, its later logins compare a keyed digest at once.
 */
public final class Authenticator {

    public static final String AUDIT_LOGGER = "junction.audit";
    /** How often the users file is checked for changes. */
    public static final long RELOAD_CHECK_MILLIS = 1000;
    public static final long FAILED_LOGIN_BASE_DELAY_MILLIS = 250;
    public static final long FAILED_LOGIN_MAX_DELAY_MILLIS = 10_000;
    /** Threads that compute password hashes: a hash takes a large part of a second of one core. */
    public static final int HASH_THREADS = 2;
    /** Logins that may wait for a hash thread; further ones are refused as by a busy server. */
    public static final int HASH_QUEUE = 32;

    private static final Logger log = LoggerFactory.getLogger(Authenticator.class);
    private static final Logger audit = LoggerFactory.getLogger(AUDIT_LOGGER);

    private final Path usersFile;
    private final Map<String, Policy> policies = new HashMap<>();
    private final LoginThrottle throttle;
    /** Keyed MAC of the stored hash and password of recent successful logins, so that PBKDF2 runs once per user. */
    private final Map<String, byte[]> verified = new ConcurrentHashMap<>();
    private final byte[] cacheKey = new byte[32];
    /** Where PBKDF2 runs, off the event loops: a few threads and a bounded queue of logins waiting for them. */
    private final ThreadPoolExecutor hashing;
    private final AtomicLong busyRefusals = new AtomicLong();
    private final AtomicLong lastBusyWarning = new AtomicLong(System.nanoTime() - TimeUnit.MINUTES.toNanos(1));
    private volatile PasswordHash decoy;
    private volatile Users users = Users.NONE;
    private volatile Object fileVersion = "none";
    private volatile boolean stopped;
    private volatile Timeout reloadTimeout;
    private volatile Runnable onReload = () -> { };

    /** A listener's resolved access policy. */
    private record Policy(boolean allowAnonymous, List<String> groups) {
    }

    public Authenticator(SecurityConfig config, List<ListenerConfig> listeners) {
        this(config, listeners, FAILED_LOGIN_BASE_DELAY_MILLIS, FAILED_LOGIN_MAX_DELAY_MILLIS, System::currentTimeMillis,
                HASH_QUEUE);
    }

    Authenticator(SecurityConfig config, List<ListenerConfig> listeners, long baseDelayMillis, long maxDelayMillis,
                  LongSupplier clockMillis, int hashQueue) {
        this.usersFile = config.usersFile();
        this.throttle = new LoginThrottle(baseDelayMillis, maxDelayMillis, clockMillis);
        for (ListenerConfig listener : listeners) {
            ListenerAccess access = config.access(listener.name());
            boolean anonymous = access.allowAnonymous().orElseGet(() -> isLoopback(listener.host()));
            policies.put(listener.name(), new Policy(anonymous, access.groups()));
        }
        new SecureRandom().nextBytes(cacheKey);
        hashing = new ThreadPoolExecutor(HASH_THREADS, HASH_THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(hashQueue), new NamedThreadFactory("junction-auth"));
        hashing.allowCoreThreadTimeOut(true);
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

    /** Stops watching the users file and the hash threads; logins still waiting for one are refused as busy. */
    public void stop() {
        stopped = true;
        Timeout timeout = reloadTimeout;
        if (timeout != null) {
            timeout.cancel();
        }
        for (Runnable waiting : hashing.shutdownNow()) {
            if (waiting instanceof PasswordCheck check) {
                check.login.refuse(Reason.SERVER_BUSY, "broker stopping", 0, false);
            }
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
     * Accepts or refuses a connection's credentials (rules in {@link #method}). Completes at once
     * unless a password hash has to be computed; that runs on a {@code junction-auth} thread, never
     * on the caller's. Clears the password once decided.
     *
     * @return the principal, or a failure with an {@link AuthenticationException} carrying the
     *         delay to wait before the protocol's refusal
     */
    public CompletableFuture<Principal> authenticate(String protocol, Credentials credentials) {
        CompletableFuture<Principal> result = new CompletableFuture<>();
        result.whenComplete((principal, failure) -> credentials.clear());
        Users current = users;
        Login login = new Login(protocol, credentials, method(credentials, current), policy(credentials.listener()),
                result);
        long locked = throttle.lockedFor(credentials.remoteAddress());
        if (locked > 0) {
            login.refuse(Reason.BAD_CREDENTIALS, "too many failed logins from this address", locked, false);
            return result;
        }
        try {
            switch (login.method) {
                case ANONYMOUS -> anonymous(login, current);
                case CERTIFICATE -> certificate(login, current);
                case PASSWORD -> password(login, current);
            }
        } catch (RuntimeException e) {
            log.error("Login of {} failed unexpectedly", credentials, e);
            login.refuse(Reason.SERVER_BUSY, "internal error: " + e, 0, false);
        }
        return result;
    }

    /**
     * How a connection logs in: by user name and password when it gives both (a client
     * certificate does not override them); else by its verified client certificate when the
     * certificate's subject is a user's (or when the protocol asks for nothing else, SASL
     * EXTERNAL); else anonymously when it gives no user name, following the listener's policy.
     * A user name without a password is checked as a password login, and fails.
     */
    private static Method method(Credentials credentials, Users current) {
        if (credentials.certificateRequired()) {
            return Method.CERTIFICATE;
        }
        if (credentials.username() != null && credentials.password() != null) {
            return Method.PASSWORD;
        }
        if (current.userWithCertificate(credentials.certificate()).isPresent()) {
            return Method.CERTIFICATE;
        }
        return credentials.username() == null ? Method.ANONYMOUS : Method.PASSWORD;
    }

    private Policy policy(String listener) {
        Policy policy = listener == null ? null : policies.get(listener);
        // A listener of its own the broker does not know (an internal or test channel) gets no anonymous access.
        return policy != null ? policy : new Policy(false, List.of());
    }

    private void anonymous(Login login, Users current) {
        if (!login.policy.allowAnonymous) {
            login.refuse(Reason.BAD_CREDENTIALS, "anonymous access is not allowed on listener '"
                    + login.credentials.listener() + "'", 0, true);
            return;
        }
        Users.Guest guest = current.anonymous();
        login.accept(guest != null && guest.enabled()
                ? new Principal(guest.user(), new LinkedHashSet<>(guest.groups()), true)
                : new Principal(Principal.ANONYMOUS, Set.of(), true));
    }

    private void certificate(Login login, Users current) {
        Credentials credentials = login.credentials;
        User user = current.userWithCertificate(credentials.certificate()).orElse(null);
        if (user == null) {
            login.refuse(Reason.BAD_CREDENTIALS, credentials.certificate() == null ? "no client certificate"
                    : "the client certificate maps to no user", 0, true);
        } else if (credentials.username() != null && !credentials.username().equals(user.name())) {
            login.refuse(Reason.BAD_CREDENTIALS, "the client certificate is user '" + user.name()
                    + "''s, not the user name given", 0, true);
        } else {
            login.accept(new Principal(user.name(), new LinkedHashSet<>(user.groups()), false));
        }
    }

    /**
     * A password is checked against the cache of recent successes at once; otherwise PBKDF2 runs on
     * a hash thread, against a decoy hash for an unknown user (or one without a password) so that
     * its refusal takes as long as a wrong password's.
     */
    private void password(Login login, Users current) {
        Credentials credentials = login.credentials;
        User user = current.user(credentials.username()).orElse(null);
        PasswordHash hash = user == null ? null : user.password();
        if (credentials.password() == null) {
            login.refuse(Reason.BAD_CREDENTIALS, "unknown user or wrong password", 0, true);
            return;
        }
        if (hash != null) {
            byte[] known = verified.get(user.name());
            if (known != null && MessageDigest.isEqual(known, token(user, credentials.password()))) {
                login.accept(principal(user));
                return;
            }
        }
        PasswordHash against = hash != null ? hash : decoy(current.maxIterations());
        if (against == null) {
            // No user has a password: there is no known user whose refusal this one could differ from.
            login.refuse(Reason.BAD_CREDENTIALS, "unknown user or wrong password", 0, true);
            return;
        }
        PasswordCheck check = new PasswordCheck(login, user, against);
        try {
            hashing.execute(check);
        } catch (RejectedExecutionException e) {
            busy(login);
        }
    }

    /** One password compared with its hash on a hash thread. */
    private final class PasswordCheck implements Runnable {

        final Login login;
        private final User user;
        private final PasswordHash against;

        PasswordCheck(Login login, User user, PasswordHash against) {
            this.login = login;
            this.user = user;
            this.against = against;
        }

        @Override
        public void run() {
            try {
                char[] password = login.credentials.password();
                // The hash is computed for a decoy too: that is what makes both refusals take as long.
                boolean matches = against.matches(password);
                if (matches && user != null && against == user.password()) {
                    verified.put(user.name(), token(user, password));
                    login.accept(principal(user));
                } else {
                    login.refuse(Reason.BAD_CREDENTIALS, "unknown user or wrong password", 0, true);
                }
            } catch (RuntimeException e) {
                log.error("Password check of {} failed unexpectedly", login.credentials, e);
                login.refuse(Reason.SERVER_BUSY, "internal error: " + e, 0, false);
            }
        }
    }

    private static Principal principal(User user) {
        return new Principal(user.name(), new LinkedHashSet<>(user.groups()), false);
    }

    /** The decoy hash of the given iterations, or null for 0 (no user has a password). */
    private PasswordHash decoy(int iterations) {
        if (iterations == 0) {
            return null;
        }
        PasswordHash current = decoy;
        if (current == null || current.iterations() != iterations) {
            current = PasswordHash.decoy(iterations);
            decoy = current;
        }
        return current;
    }

    /** Every hash thread is busy and the queue is full: refused like a busy server, without counting as a failure. */
    private void busy(Login login) {
        long refusals = busyRefusals.incrementAndGet();
        long now = System.nanoTime();
        long last = lastBusyWarning.get();
        if (now - last > TimeUnit.SECONDS.toNanos(10) && lastBusyWarning.compareAndSet(last, now)) {
            log.warn("Too many logins to check at once ({} waiting for {} threads): login from {} refused as a busy "
                    + "server ({} such refusals since start)", hashing.getQueue().size(), HASH_THREADS,
                    login.credentials.remoteAddress(), refusals);
        }
        login.refuse(Reason.SERVER_BUSY, "server busy: too many logins to check at once", 0, false);
    }

    /** Consecutive failed logins recorded for the address. */
    public int failedLogins(java.net.SocketAddress address) {
        return throttle.failures(address);
    }

    /** How a connection logs in; named in the audit log. */
    private enum Method {
        PASSWORD, CERTIFICATE, ANONYMOUS;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One login attempt: what it presented, how it logs in, and the stage that tells its outcome. */
    private final class Login {

        final String protocol;
        final Credentials credentials;
        final Method method;
        final Policy policy;
        final CompletableFuture<Principal> result;

        Login(String protocol, Credentials credentials, Method method, Policy policy,
              CompletableFuture<Principal> result) {
            this.protocol = protocol;
            this.credentials = credentials;
            this.method = method;
            this.policy = policy;
            this.result = result;
        }

        /** Accepts the principal when the listener's groups allow it. */
        void accept(Principal principal) {
            if (!policy.groups.isEmpty() && policy.groups.stream().noneMatch(principal.groups()::contains)) {
                refuse(Reason.NOT_AUTHORIZED, "not in a group allowed on listener '" + credentials.listener() + "' "
                        + policy.groups, 0, true);
                return;
            }
            throttle.succeeded(credentials.remoteAddress());
            audit.info("AUTH OK user={} groups={} remote={} protocol={} listener={} method={}{}", principal.user(),
                    principal.groups(), credentials.remoteAddress(), protocol, credentials.listener(), method,
                    subject());
            result.complete(principal);
        }

        /** Refuses the login, after the delay of the address's failures when {@code count}, else after {@code delay}. */
        void refuse(Reason reason, String why, long delay, boolean count) {
            long wait = count ? throttle.failed(credentials.remoteAddress()) : delay;
            String who = credentials.username() != null ? credentials.username()
                    : method == Method.CERTIFICATE ? "(certificate)" : "(anonymous)";
            audit.info("AUTH FAILED user={} remote={} protocol={} listener={} method={}{} reason=\"{}\"", who,
                    credentials.remoteAddress(), protocol, credentials.listener(), method, subject(), why);
            log.info("Login refused: user={} remote={} protocol={} listener={}: {} (refusal in {} ms)", who,
                    credentials.remoteAddress(), protocol, credentials.listener(), why, wait);
            String message = switch (reason) {
                case NOT_AUTHORIZED -> "not authorized";
                case SERVER_BUSY -> "server busy, try again later";
                case BAD_CREDENTIALS -> "authentication failed";
            };
            result.completeExceptionally(new AuthenticationException(reason, message, wait));
        }

        private String subject() {
            return method == Method.CERTIFICATE && credentials.certificate() != null
                    ? " subject=\"" + credentials.certificate().getName() + "\"" : "";
        }
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
