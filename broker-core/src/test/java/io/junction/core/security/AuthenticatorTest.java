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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AuthenticatorTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("10.0.0.7", 40000);
    private static final InetSocketAddress OTHER_CLIENT = new InetSocketAddress("10.0.0.8", 40000);

    @TempDir
    Path dir;
    private final AtomicLong now = new AtomicLong(1_000_000);

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
        List<ListenerConfig> listeners = List.of(
                new ListenerConfig("local", List.of("stomp"), Transport.TCP, "127.0.0.1", 0, true),
                new ListenerConfig("public", List.of("stomp"), Transport.TCP, "0.0.0.0", 0, true));
        Authenticator authenticator = new Authenticator(new SecurityConfig(usersFile(), access), listeners, 100, 800,
                now::get);
        authenticator.load();
        return authenticator;
    }

    private static Credentials login(String listener, String user, String password) {
        return new Credentials(user, password == null ? null : password.toCharArray(), CLIENT, listener);
    }

    @Test
    void anonymousIsAllowedOnLoopbackAndRefusedElsewhereByDefault() throws Exception {
        Authenticator authenticator = authenticator(Map.of());

        Principal local = authenticator.authenticate("stomp", login("local", null, null));
        assertThat(local).isEqualTo(new Principal("anonymous", Set.of(), true));
        AuthenticationException refused = catchThrowableOfType(AuthenticationException.class,
                () -> authenticator.authenticate("stomp", login("public", null, null)));
        assertThat(refused.reason()).isEqualTo(Reason.BAD_CREDENTIALS);
        assertThat(authenticator.allowsAnonymous("local")).isTrue();
        assertThat(authenticator.allowsAnonymous("public")).isFalse();
    }

    @Test
    void theListenerSettingOverridesTheAddressRule() throws Exception {
        Authenticator authenticator = authenticator(Map.of(
                "local", new ListenerAccess(Optional.of(false), List.of()),
                "public", new ListenerAccess(Optional.of(true), List.of())));

        assertThatThrownBy(() -> authenticator.authenticate("mqtt", login("local", null, null)))
                .isInstanceOf(AuthenticationException.class);
        now.addAndGet(1000);
        assertThat(authenticator.authenticate("mqtt", login("public", null, null)).anonymous()).isTrue();
    }

    @Test
    void aUserWithTheRightPasswordGetsItsGroups() throws Exception {
        writeUsers("users:\n" + user("alice", "pw1", "admins", "apps"));
        Authenticator authenticator = authenticator(Map.of());

        Principal alice = authenticator.authenticate("amqp", login("public", "alice", "pw1"));
        assertThat(alice).isEqualTo(new Principal("alice", Set.of("admins", "apps"), false));
        // Again, from the verification cache.
        assertThat(authenticator.authenticate("amqp", login("public", "alice", "pw1"))).isEqualTo(alice);
    }

    @Test
    void aWrongPasswordOrUnknownUserIsRefused() throws IOException {
        writeUsers("users:\n" + user("alice", "pw1"));
        Authenticator authenticator = authenticator(Map.of());

        assertThatThrownBy(() -> authenticator.authenticate("amqp", login("local", "alice", "pw2")))
                .isInstanceOf(AuthenticationException.class).hasMessage("authentication failed");
        now.addAndGet(10_000);
        assertThatThrownBy(() -> authenticator.authenticate("amqp", login("local", "mallory", "pw1")))
                .isInstanceOf(AuthenticationException.class);
        now.addAndGet(10_000);
        assertThatThrownBy(() -> authenticator.authenticate("amqp", login("local", "alice", null)))
                .isInstanceOf(AuthenticationException.class);
    }

    @Test
    void listenerGroupsLimitWhoMayConnect() throws Exception {
        writeUsers("users:\n" + user("alice", "pw", "admins") + user("bob", "pw", "apps"));
        Authenticator authenticator = authenticator(Map.of("public", new ListenerAccess(Optional.empty(),
                List.of("admins"))));

        assertThat(authenticator.authenticate("mqtt", login("public", "alice", "pw")).user()).isEqualTo("alice");
        AuthenticationException refused = catchThrowableOfType(AuthenticationException.class,
                () -> authenticator.authenticate("mqtt", login("public", "bob", "pw")));
        assertThat(refused.reason()).isEqualTo(Reason.NOT_AUTHORIZED);
        now.addAndGet(1000);
        assertThat(authenticator.authenticate("mqtt", login("local", "bob", "pw")).user()).isEqualTo("bob");
    }

    @Test
    void anonymousConnectionsActAsTheGuestWhenMapped() throws Exception {
        writeUsers("anonymous:\n  enabled: true\n  user: guest\n  groups: [guests]\n");
        Authenticator authenticator = authenticator(Map.of());

        assertThat(authenticator.authenticate("stomp", login("local", null, null)))
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
        assertThat(catchThrowableOfType(AuthenticationException.class, () -> authenticator.authenticate("stomp",
                new Credentials("alice", "bad".toCharArray(), OTHER_CLIENT, "local"))).delayMillis()).isEqualTo(100);
    }

    @Test
    void aSuccessForgetsEarlierFailures() throws Exception {
        writeUsers("users:\n" + user("alice", "pw"));
        Authenticator authenticator = authenticator(Map.of());

        delayOf(authenticator, login("local", "alice", "bad"));
        now.addAndGet(100);
        authenticator.authenticate("stomp", login("local", "alice", "pw"));
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
        assertThat(authenticator.authenticate("stomp", login("local", "bob", "pw2")).user()).isEqualTo("bob");

        writeUsers("users:\n" + user("alice", "pw") + "  - name: carol\n    password: plain\n");
        assertThat(authenticator.reloadIfChanged()).isFalse();
        assertThat(authenticator.users().users()).containsOnlyKeys("alice", "bob");
        assertThat(authenticator.authenticate("stomp", login("local", "bob", "pw2")).user()).isEqualTo("bob");

        writeUsers("users:\n" + user("alice", "pw"));
        assertThat(authenticator.reloadIfChanged()).isTrue();
        assertThatThrownBy(() -> authenticator.authenticate("stomp", login("local", "bob", "pw2")))
                .isInstanceOf(AuthenticationException.class);
    }

    @Test
    void aMissingFileMeansNoUsersUntilItIsCreated() throws Exception {
        Authenticator authenticator = authenticator(Map.of());
        assertThat(authenticator.users().users()).isEmpty();

        writeUsers("users:\n" + user("alice", "pw"));
        assertThat(authenticator.reloadIfChanged()).isTrue();
        assertThat(authenticator.authenticate("stomp", login("local", "alice", "pw")).user()).isEqualTo("alice");
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

    private static long delayOf(Authenticator authenticator, Credentials credentials) {
        return catchThrowableOfType(AuthenticationException.class,
                () -> authenticator.authenticate("stomp", credentials)).delayMillis();
    }
}
