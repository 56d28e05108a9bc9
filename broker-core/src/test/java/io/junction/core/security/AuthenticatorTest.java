package io.junction.core.security;

import io.junction.core.config.ClientAuth;
import io.junction.core.config.ListenerConfig;
import io.junction.core.config.SecurityConfig;
import io.junction.core.config.TlsConfig;
import io.junction.core.config.Transport;
import io.junction.core.spi.AuthenticationException;
import io.junction.core.spi.AuthenticationException.Reason;
import io.junction.core.spi.Credentials;
import io.junction.core.spi.Principal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.security.auth.x500.X500Principal;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class AuthenticatorTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("10.0.0.7", 40000);
    private static final InetSocketAddress OTHER_CLIENT = new InetSocketAddress("10.0.0.8", 40000);

    @TempDir
    Path dir;
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final List<Authenticator> started = new ArrayList<>();

    private Path usersFile() {
        return dir.resolve("users.yaml");
    }

    private void writeUsers(String yaml) throws IOException {
        Files.writeString(usersFile(), yaml);
    }

    private static String user(String name, String password, String... groups) {
        return """
                  - name: %s
                    password: "%s"
                    groups: [%s]
                """.formatted(name, PasswordHash.create(password.toCharArray(), 1000).encoded(), String.join(", ", groups));
    }

    private Authenticator authenticator(Map<String, ListenerAccess> access) {
        return authenticator(access, Authenticator.HASH_QUEUE);
    }

    private Authenticator authenticator(Map<String, ListenerAccess> access, int hashQueue) {
        List<ListenerConfig> listeners = List.of(
                new ListenerConfig("local", List.of("stomp"), Transport.TCP, "127.0.0.1", 0, true),
                new ListenerConfig("public", List.of("stomp"), Transport.TCP, "0.0.0.0", 0, true));
        Authenticator authenticator = new Authenticator(new SecurityConfig(usersFile(), access), listeners, 100, 800,
                now::get, hashQueue);
        authenticator.load();
        started.add(authenticator);
        return authenticator;
    }

    @AfterEach
    void stopAuthenticators() {
        started.forEach(Authenticator::stop);
    }

    private static Credentials login(String listener, String user, String password) {
        return new Credentials(user, password == null ? null : password.toCharArray(), CLIENT, listener);
    }

    private static Credentials withCertificate(String listener, String subject, String user, String password) {
        return new Credentials(user, password == null ? null : password.toCharArray(), new X500Principal(subject),
                false, CLIENT, listener);
    }

    /** SASL EXTERNAL: the certificate and nothing else. */
    private static Credentials certificateOnly(String listener, String subject) {
        return new Credentials(null, null, subject == null ? null : new X500Principal(subject), true, CLIENT,
                listener);
    }

    private static Principal accepted(Authenticator authenticator, String protocol, Credentials credentials)
            throws Exception {
        return authenticator.authenticate(protocol, credentials).get(30, TimeUnit.SECONDS);
    }

    private static AuthenticationException refusal(Authenticator authenticator, String protocol,
                                                   Credentials credentials) {
        try {
            Principal principal = authenticator.authenticate(protocol, credentials).get(30, TimeUnit.SECONDS);
            throw new AssertionError("accepted as " + principal);
        } catch (ExecutionException e) {
            return (AuthenticationException) e.getCause();
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    /** A user whose stored hash no password matches and whose check costs {@code iterations}. */
    private static String slowUser(String name, int iterations) {
        return """
                  - name: %s
                    password: "%s"
                """.formatted(name, PasswordHash.decoy(iterations).encoded());
    }

    @Test
    void anonymousIsAllowedOnLoopbackAndRefusedElsewhereByDefault() throws Exception {
        Authenticator authenticator = authenticator(Map.of());

        Principal local = accepted(authenticator, "stomp", login("local", null, null));
        assertThat(local).isEqualTo(new Principal("anonymous", Set.of(), true));
        AuthenticationException refused = refusal(authenticator, "stomp", login("public", null, null));
        assertThat(refused.reason()).isEqualTo(Reason.BAD_CREDENTIALS);
        assertThat(authenticator.allowsAnonymous("local")).isTrue();
        assertThat(authenticator.allowsAnonymous("public")).isFalse();
    }

    @Test
    void theListenerSettingOverridesTheAddressRule() throws Exception {
        Authenticator authenticator = authenticator(Map.of(
                "local", new ListenerAccess(Optional.of(false), List.of()),
                "public", new ListenerAccess(Optional.of(true), List.of())));

        assertThat(refusal(authenticator, "mqtt", login("local", null, null)).reason()).isEqualTo(Reason.BAD_CREDENTIALS);
        now.addAndGet(1000);
        assertThat(accepted(authenticator, "mqtt", login("public", null, null)).anonymous()).isTrue();
    }

    @Test
    void aUserWithTheRightPasswordGetsItsGroups() throws Exception {
        writeUsers("users:\n" + user("alice", "pw1", "admins", "apps"));
        Authenticator authenticator = authenticator(Map.of());

        Principal alice = accepted(authenticator, "amqp", login("public", "alice", "pw1"));
        assertThat(alice).isEqualTo(new Principal("alice", Set.of("admins", "apps"), false));
        // Again, from the verification cache.
        assertThat(accepted(authenticator, "amqp", login("public", "alice", "pw1"))).isEqualTo(alice);
    }

    @Test
    void aWrongPasswordOrUnknownUserIsRefused() throws IOException {
        writeUsers("users:\n" + user("alice", "pw1"));
        Authenticator authenticator = authenticator(Map.of());

        assertThat(refusal(authenticator, "amqp", login("local", "alice", "pw2"))).hasMessage("authentication failed");
        now.addAndGet(10_000);
        assertThat(refusal(authenticator, "amqp", login("local", "mallory", "pw1")).reason()).isEqualTo(Reason.BAD_CREDENTIALS);
        now.addAndGet(10_000);
        assertThat(refusal(authenticator, "amqp", login("local", "alice", null)).reason()).isEqualTo(Reason.BAD_CREDENTIALS);
    }

    @Test
    void listenerGroupsLimitWhoMayConnect() throws Exception {
        writeUsers("users:\n" + user("alice", "pw", "admins") + user("bob", "pw", "apps"));
        Authenticator authenticator = authenticator(Map.of("public", new ListenerAccess(Optional.empty(),
                List.of("admins"))));

        assertThat(accepted(authenticator, "mqtt", login("public", "alice", "pw")).user()).isEqualTo("alice");
        AuthenticationException refused = refusal(authenticator, "mqtt", login("public", "bob", "pw"));
        assertThat(refused.reason()).isEqualTo(Reason.NOT_AUTHORIZED);
        now.addAndGet(1000);
        assertThat(accepted(authenticator, "mqtt", login("local", "bob", "pw")).user()).isEqualTo("bob");
    }

    @Test
    void anonymousConnectionsActAsTheGuestWhenMapped() throws Exception {
        writeUsers("anonymous:\n  enabled: true\n  user: guest\n  groups: [guests]\n");
        Authenticator authenticator = authenticator(Map.of());

        assertThat(accepted(authenticator, "stomp", login("local", null, null)))
                .isEqualTo(new Principal("guest", Set.of("guests"), true));
    }

    @Test
    void failedLoginsAreDelayedMoreEachTimeAndLockTheAddressMeanwhile() throws IOException {
        writeUsers("users:\n" + user("alice", "pw"));
        Authenticator authenticator = authenticator(Map.of());

        long first = delayOf(authenticator, login("local", "alice", "bad"));
        assertThat(first).isEqualTo(100);
        // During the delay, even the right password is refused without being checked.
        long locked = delayOf(authenticator, login("local", "alice", "pw"));
        assertThat(locked).isEqualTo(100);
        now.addAndGet(100);
        assertThat(delayOf(authenticator, login("local", "alice", "bad"))).isEqualTo(200);
        now.addAndGet(200);
        assertThat(delayOf(authenticator, login("local", "alice", "bad"))).isEqualTo(400);
        now.addAndGet(400);
        assertThat(delayOf(authenticator, login("local", "alice", "bad"))).isEqualTo(800);
        now.addAndGet(800);
        assertThat(delayOf(authenticator, login("local", "alice", "bad"))).isEqualTo(800);
        assertThat(authenticator.failedLogins(CLIENT)).isEqualTo(5);
        // Another address is not affected.
        assertThat(refusal(authenticator, "stomp",
                new Credentials("alice", "bad".toCharArray(), OTHER_CLIENT, "local")).delayMillis()).isEqualTo(100);
    }

    @Test
    void aSuccessForgetsEarlierFailures() throws Exception {
        writeUsers("users:\n" + user("alice", "pw"));
        Authenticator authenticator = authenticator(Map.of());

        delayOf(authenticator, login("local", "alice", "bad"));
        now.addAndGet(100);
        accepted(authenticator, "stomp", login("local", "alice", "pw"));
        assertThat(authenticator.failedLogins(CLIENT)).isZero();
        assertThat(delayOf(authenticator, login("local", "alice", "bad"))).isEqualTo(100);
    }

    @Test
    void aChangedFileTakesEffectAndABadEditKeepsThePreviousUsers() throws Exception {
        writeUsers("users:\n" + user("alice", "pw"));
        Authenticator authenticator = authenticator(Map.of());
        assertThat(authenticator.reloadIfChanged()).isFalse();

        writeUsers("users:\n" + user("alice", "pw") + user("bob", "pw2"));
        assertThat(authenticator.reloadIfChanged()).isTrue();
        assertThat(accepted(authenticator, "stomp", login("local", "bob", "pw2")).user()).isEqualTo("bob");

        writeUsers("users:\n" + user("alice", "pw") + "  - name: carol\n    password: plain\n");
        assertThat(authenticator.reloadIfChanged()).isFalse();
        assertThat(authenticator.users().users()).containsOnlyKeys("alice", "bob");
        assertThat(accepted(authenticator, "stomp", login("local", "bob", "pw2")).user()).isEqualTo("bob");

        writeUsers("users:\n" + user("alice", "pw"));
        assertThat(authenticator.reloadIfChanged()).isTrue();
        assertThat(refusal(authenticator, "stomp", login("local", "bob", "pw2")).reason()).isEqualTo(Reason.BAD_CREDENTIALS);
    }

    @Test
    void aMissingFileMeansNoUsersUntilItIsCreated() throws Exception {
        Authenticator authenticator = authenticator(Map.of());
        assertThat(authenticator.users().users()).isEmpty();

        writeUsers("users:\n" + user("alice", "pw"));
        assertThat(authenticator.reloadIfChanged()).isTrue();
        assertThat(accepted(authenticator, "stomp", login("local", "alice", "pw")).user()).isEqualTo("alice");
    }

    @Test
    void loopbackAddresses() {
        assertThat(Authenticator.isLoopback("127.0.0.1")).isTrue();
        assertThat(Authenticator.isLoopback("127.1.2.3")).isTrue();
        assertThat(Authenticator.isLoopback("localhost")).isTrue();
        assertThat(Authenticator.isLoopback("::1")).isTrue();
        assertThat(Authenticator.isLoopback("[::1]")).isTrue();
        assertThat(Authenticator.isLoopback("0.0.0.0")).isFalse();
        assertThat(Authenticator.isLoopback("::")).isFalse();
        assertThat(Authenticator.isLoopback("192.168.1.10")).isFalse();
    }

    @Test
    void startUpWarnsOfEveryListenerReachableFromTheNetworkWithoutTls() {
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Authenticator.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
                new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            Authenticator.warnAboutExposedListeners(List.of(
                    new ListenerConfig("local", List.of("stomp"), Transport.TCP, "127.0.0.1", 61613, true),
                    new ListenerConfig("public", List.of("mqtt"), Transport.TCP, "0.0.0.0", 1883, true),
                    new ListenerConfig("off", List.of("mqtt"), Transport.TCP, "0.0.0.0", 1884, false),
                    new ListenerConfig("secure", List.of("mqtt"), Transport.TLS, "0.0.0.0", 8883, true,
                            ListenerConfig.DEFAULT_WEBSOCKET_MAX_FRAME_SIZE, Optional.of(new TlsConfig(
                                    Path.of("broker.p12"), "secret", Optional.empty(), "", ClientAuth.NONE)))));
        } finally {
            logger.detachAppender(lines);
        }
        assertThat(lines.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
            assertThat(event.getFormattedMessage()).startsWith("Listener public on 0.0.0.0:1883 is reachable from "
                    + "the network without TLS");
        });
    }

    // ---- off the event loop ----

    /** A user with a password hash of many iterations, so that checking it takes a noticeable time. */
    private static String costlyUser(String name, String password) {
        return """
                  - name: %s
                    password: "%s"
                """.formatted(name, PasswordHash.create(password.toCharArray(), 200_000).encoded());
    }

    @Test
    void aPasswordIsHashedOnAnAuthenticatorThreadAndTheCallerDoesNotWait() throws Exception {
        writeUsers("users:\n" + costlyUser("alice", "pw"));
        Authenticator authenticator = authenticator(Map.of());

        CompletableFuture<Principal> first = authenticator.authenticate("mqtt", login("local", "alice", "pw"));
        // The caller got its stage back before a hash of 200000 iterations could be done.
        assertThat(first).isNotDone();
        Thread hashedOn = threadThatCompletes(first);
        assertThat(first.get(30, TimeUnit.SECONDS).user()).isEqualTo("alice");
        assertThat(hashedOn.getName()).startsWith("junction-auth-");
        assertThat(hashedOn.isDaemon()).isTrue();
        // Once verified, the same password is accepted at once, on the caller's thread.
        assertThat(authenticator.authenticate("mqtt", login("local", "alice", "pw"))).isCompletedWithValueMatching(
                principal -> principal.user().equals("alice"));
    }

    @Test
    void anUnknownUserIsRefusedAfterAHashLikeAWrongPasswordWithTheSameDelay() throws Exception {
        writeUsers("users:\n" + costlyUser("alice", "pw"));
        Authenticator authenticator = authenticator(Map.of());

        CompletableFuture<Principal> wrong = authenticator.authenticate("stomp", login("local", "alice", "bad"));
        assertThat(wrong).isNotDone();
        Thread wrongOn = threadThatCompletes(wrong);
        AuthenticationException wrongRefusal = refusalOf(wrong);
        CompletableFuture<Principal> unknown = authenticator.authenticate("stomp",
                new Credentials("mallory", "bad".toCharArray(), OTHER_CLIENT, "local"));
        assertThat(unknown).isNotDone();
        Thread unknownOn = threadThatCompletes(unknown);
        AuthenticationException unknownRefusal = refusalOf(unknown);

        // Both went through PBKDF2 of as many iterations on a hash thread, and wait the same delay.
        assertThat(wrongOn.getName()).startsWith("junction-auth-");
        assertThat(unknownOn.getName()).startsWith("junction-auth-");
        assertThat(unknownRefusal.delayMillis()).isEqualTo(wrongRefusal.delayMillis()).isEqualTo(100);
        assertThat(unknownRefusal).hasMessage(wrongRefusal.getMessage());
    }

    @Test
    void whenEveryHashThreadIsBusyAndTheQueueFullALoginIsRefusedAsBusyAndStopRefusesTheWaitingOnes()
            throws Exception {
        writeUsers("users:\n" + slowUser("slow", 400_000));
        Authenticator authenticator = authenticator(Map.of(), 1);
        List<CompletableFuture<Principal>> checks = new ArrayList<>();
        for (int i = 0; i < Authenticator.HASH_THREADS + 1; i++) {
            checks.add(authenticator.authenticate("mqtt", new Credentials("slow", "guess".toCharArray(),
                    new InetSocketAddress("10.0.1." + i, 1), "local")));
        }

        AuthenticationException busy = refusal(authenticator, "mqtt", new Credentials("slow", "guess".toCharArray(),
                new InetSocketAddress("10.0.2.1", 1), "local"));
        assertThat(busy.reason()).isEqualTo(Reason.SERVER_BUSY);
        assertThat(busy.delayMillis()).isZero();
        assertThat(authenticator.failedLogins(new InetSocketAddress("10.0.2.1", 1))).as("not a failed login").isZero();

        authenticator.stop();
        // The login still waiting in the queue is answered too.
        assertThat(refusalOf(checks.get(checks.size() - 1)).reason()).isEqualTo(Reason.SERVER_BUSY);
    }

    // ---- client certificates ----

    @Test
    void aMappedCertificateWithoutPasswordIsItsUser() throws Exception {
        writeUsers("users:\n" + user("alice", "pw", "apps")
                + "  - name: sensor-17\n    certificate: \"CN=sensor-17,O=Example\"\n    groups: [sensors]\n");
        Authenticator authenticator = authenticator(Map.of());

        assertThat(accepted(authenticator, "mqtt", withCertificate("public", "cn=Sensor-17, o=Example", null, null)))
                .isEqualTo(new Principal("sensor-17", Set.of("sensors"), false));
        assertThat(accepted(authenticator, "mqtt", withCertificate("public", "CN=sensor-17,O=Example", "sensor-17",
                null)).user()).isEqualTo("sensor-17");
        assertThat(accepted(authenticator, "amqp", certificateOnly("public", "CN=sensor-17,O=Example")).user())
                .isEqualTo("sensor-17");
    }

    @Test
    void aCertificateDoesNotOverrideAPasswordNorAnotherUserName() throws Exception {
        writeUsers("users:\n" + user("alice", "pw", "apps")
                + "  - name: sensor-17\n    certificate: \"CN=sensor-17,O=Example\"\n");
        Authenticator authenticator = authenticator(Map.of());

        // User name and password: checked by password, whatever the certificate.
        assertThat(accepted(authenticator, "mqtt", withCertificate("public", "CN=sensor-17,O=Example", "alice", "pw"))
                .user()).isEqualTo("alice");
        assertThat(refusal(authenticator, "mqtt", withCertificate("public", "CN=sensor-17,O=Example", "sensor-17",
                "guess")).reason()).isEqualTo(Reason.BAD_CREDENTIALS);
        now.addAndGet(10_000);
        // A user name that is not the certificate's user.
        assertThat(refusal(authenticator, "mqtt", withCertificate("public", "CN=sensor-17,O=Example", "alice", null))
                .reason()).isEqualTo(Reason.BAD_CREDENTIALS);
    }

    @Test
    void anUnmappedCertificateFallsBackToTheAnonymousPolicyExceptForSaslExternal() throws Exception {
        writeUsers("users:\n  - name: sensor-17\n    certificate: \"CN=sensor-17,O=Example\"\n");
        Authenticator authenticator = authenticator(Map.of());

        assertThat(accepted(authenticator, "stomp", withCertificate("local", "CN=stranger", null, null)).anonymous())
                .isTrue();
        assertThat(refusal(authenticator, "stomp", withCertificate("public", "CN=stranger", null, null)).reason())
                .isEqualTo(Reason.BAD_CREDENTIALS);
        now.addAndGet(10_000);
        assertThat(refusal(authenticator, "amqp", certificateOnly("local", "CN=stranger")).reason())
                .isEqualTo(Reason.BAD_CREDENTIALS);
        now.addAndGet(10_000);
        assertThat(refusal(authenticator, "amqp", certificateOnly("local", null)).reason())
                .isEqualTo(Reason.BAD_CREDENTIALS);
    }

    @Test
    void listenerGroupsApplyToCertificateUsers() {
        writeUsersUnchecked("users:\n  - name: sensor-17\n    certificate: \"CN=sensor-17\"\n    groups: [sensors]\n");
        Authenticator authenticator = authenticator(Map.of("public", new ListenerAccess(Optional.empty(),
                List.of("admins"))));

        assertThat(refusal(authenticator, "mqtt", withCertificate("public", "CN=sensor-17", null, null)).reason())
                .isEqualTo(Reason.NOT_AUTHORIZED);
    }

    @Test
    void theAuditLogSaysHowEachConnectionLoggedIn() throws Exception {
        writeUsers("users:\n" + user("alice", "pw") + "  - name: sensor-17\n    certificate: \"CN=sensor-17\"\n");
        Authenticator authenticator = authenticator(Map.of());
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Authenticator.AUDIT_LOGGER);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
                new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        ch.qos.logback.classic.Level level = logger.getLevel();
        logger.setLevel(ch.qos.logback.classic.Level.INFO);
        try {
            accepted(authenticator, "mqtt", login("local", "alice", "pw"));
            accepted(authenticator, "mqtt", withCertificate("local", "CN=sensor-17", null, null));
            accepted(authenticator, "mqtt", login("local", null, null));
            refusal(authenticator, "amqp", certificateOnly("local", "CN=stranger"));
        } finally {
            logger.setLevel(level);
            logger.detachAppender(lines);
        }
        assertThat(lines.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                .satisfiesExactly(
                        line -> assertThat(line).startsWith("AUTH OK user=alice").endsWith("method=password"),
                        line -> assertThat(line).startsWith("AUTH OK user=sensor-17")
                                .endsWith("method=certificate subject=\"CN=sensor-17\""),
                        line -> assertThat(line).startsWith("AUTH OK user=anonymous").endsWith("method=anonymous"),
                        line -> assertThat(line).startsWith("AUTH FAILED user=(certificate)")
                                .contains("method=certificate subject=\"CN=stranger\"",
                                        "reason=\"the client certificate maps to no user\""));
    }

    private void writeUsersUnchecked(String yaml) {
        try {
            writeUsers(yaml);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The thread a stage completes on (the caller's own when it completed at once). */
    private static Thread threadThatCompletes(CompletableFuture<Principal> stage) throws Exception {
        CompletableFuture<Thread> thread = new CompletableFuture<>();
        stage.whenComplete((principal, failure) -> thread.complete(Thread.currentThread()));
        return thread.get(30, TimeUnit.SECONDS);
    }

    private static AuthenticationException refusalOf(CompletableFuture<Principal> stage) throws Exception {
        try {
            throw new AssertionError("accepted as " + stage.get(30, TimeUnit.SECONDS));
        } catch (ExecutionException e) {
            return (AuthenticationException) e.getCause();
        }
    }

    private static long delayOf(Authenticator authenticator, Credentials credentials) {
        return refusal(authenticator, "stomp", credentials).delayMillis();
    }
}
