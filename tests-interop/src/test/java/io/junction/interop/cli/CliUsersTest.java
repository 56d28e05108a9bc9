package io.junction.interop.cli;

import io.junction.core.config.UsersReader;
import io.junction.interop.raw.RawStompClient;
import io.junction.interop.support.BrokerProcess;
import io.junction.interop.support.JunctionCommand;
import io.junction.interop.support.JunctionCommand.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code bin/junction users add|passwd|remove|list} on the users file next to the configuration,
 * with passwords on standard input (not a terminal), against a running broker that picks the
 * changes up; the broker's {@code log/audit.log} records the logins without secrets.
 */
@Timeout(300)
class CliUsersTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @RegisterExtension
    final BrokerProcess broker = BrokerProcess.builder().tempDirectory("junction-users-").build();

    private Result users(String input, String... args) throws IOException, InterruptedException {
        String[] all = new String[args.length + 5];
        all[0] = "users";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--config";
        all[args.length + 2] = broker.config().toString();
        // The broker's data directory, so that the command's audit lines go to the broker's audit.log.
        all[args.length + 3] = "--data-dir";
        all[args.length + 4] = broker.dataDirectory().toString();
        return JunctionCommand.runWithInput(broker.directory(), TIMEOUT, input, all);
    }

    private String login(String user, String password) throws IOException {
        try (RawStompClient client = RawStompClient.open(broker.port())) {
            client.write(RawStompClient.frame("CONNECT", "accept-version:1.2", "host:localhost", "login:" + user,
                    "passcode:" + password));
            return client.readFrame(Duration.ofSeconds(15)).command();
        }
    }

    @Test
    void usersAreAddedListedChangedAndRemovedWhileTheBrokerRuns() throws Exception {
        Path usersFile = broker.directory().resolve("users.yaml");

        Result add = users("first-Secret\n", "add", "alice", "--group", "apps,ops");
        assertThat(add.exitCode()).as("%s", add).isZero();
        assertThat(add.output()).contains("alice").doesNotContain("first-Secret");
        String stored = Files.readString(usersFile);
        assertThat(stored).contains("PBKDF2WithHmacSHA256:600000:").doesNotContain("first-Secret");
        assertThat(Files.getPosixFilePermissions(usersFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(UsersReader.read(usersFile).user("alice").orElseThrow().password()
                .matches("first-Secret".toCharArray())).isTrue();

        Result again = users("x\n", "add", "alice");
        assertThat(again.exitCode()).as("%s", again).isEqualTo(1);
        assertThat(again.stderrLines()).singleElement().asString().contains("exists already");

        Result list = users("", "list");
        assertThat(list.exitCode()).as("%s", list).isZero();
        assertThat(list.stdout()).contains("USER", "GROUPS").containsPattern("alice +apps,ops")
                .doesNotContain("PBKDF2");
        assertThat(users("", "list", "--json").stdout().trim())
                .isEqualTo("[{\"user\":\"alice\",\"groups\":[\"apps\",\"ops\"]}]");

        broker.start();
        assertThat(login("alice", "first-Secret")).isEqualTo("CONNECTED");
        assertThat(login("alice", "wrong-Guess")).isEqualTo("ERROR");

        Result passwd = users("second-Secret\n", "passwd", "alice");
        assertThat(passwd.exitCode()).as("%s", passwd).isZero();
        assertThat(passwd.output()).doesNotContain("second-Secret");
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500))
                .until(() -> login("alice", "second-Secret").equals("CONNECTED"));
        assertThat(login("alice", "first-Secret")).isEqualTo("ERROR");

        Result remove = users("", "remove", "alice");
        assertThat(remove.exitCode()).as("%s", remove).isZero();
        assertThat(users("", "list").stdout()).doesNotContain("alice");
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500))
                .until(() -> login("alice", "second-Secret").equals("ERROR"));

        Path audit = broker.dataDirectory().resolve("log").resolve("audit.log");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(audit)
                && Files.readString(audit).contains("AUTH FAILED user=alice"));
        String auditLog = Files.readString(audit);
        assertThat(auditLog).contains("AUTH OK user=alice groups=[apps, ops] remote=/127.0.0.1:",
                "protocol=stomp listener=stomp");
        String osUser = System.getProperty("user.name");
        assertThat(auditLog).as("the admin actions of the command line, and the reloads they caused")
                .contains("ADMIN action=user-add user=alice groups=[apps, ops] file=" + usersFile + " by=" + osUser,
                        "ADMIN action=user-passwd user=alice file=" + usersFile + " by=" + osUser,
                        "ADMIN action=user-remove user=alice file=" + usersFile + " by=" + osUser,
                        "ADMIN users file reloaded file=" + usersFile + " changes=\"password=[alice]\"",
                        "ADMIN users file reloaded file=" + usersFile + " changes=\"removed=[alice]\"");
        assertThat(auditLog).doesNotContain("first-Secret", "second-Secret", "wrong-Guess", "PBKDF2");
        assertThat(Files.readString(broker.dataDirectory().resolve("log").resolve("junction.log")))
                .doesNotContain("AUTH OK");
    }

    @Test
    void anInvalidUsersFileStopsRunWithFileLineAndExitCode2() throws Exception {
        Path usersFile = broker.directory().resolve("users.yaml");
        Files.writeString(usersFile, "users:\n  - name: alice\n    password: plain-text\n");

        Result run = broker.junction("run");

        assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
        assertThat(run.stderrLines()).as("%s", run).singleElement().asString()
                .contains(usersFile + ":3:").contains("not a password hash").doesNotContain("plain-text");
        assertThat(BrokerProcess.isListening(broker.port())).isFalse();
    }

    @Test
    void unknownUsersAndEmptyPasswordsAreRefusedInOneLine() throws Exception {
        Result passwd = users("pw\n", "passwd", "nobody");
        assertThat(passwd.exitCode()).as("%s", passwd).isEqualTo(1);
        assertThat(passwd.stderrLines()).singleElement().asString().contains("no user 'nobody'");

        Result empty = users("\n", "add", "bob");
        assertThat(empty.exitCode()).as("%s", empty).isEqualTo(1);
        assertThat(empty.stderrLines()).singleElement().asString().contains("the password is empty");

        Result badName = users("pw\n", "add", "bad name");
        assertThat(badName.exitCode()).as("%s", badName).isEqualTo(2);
    }

    @Test
    void aCertificateUserIsAddedWithoutAPasswordAndKeptWhenTheFileIsRewritten() throws Exception {
        Path usersFile = broker.directory().resolve("users.yaml");

        Result add = users("", "add", "sensor-17", "--certificate", "CN=sensor-17, O=Example", "--group", "sensors");
        assertThat(add.exitCode()).as("%s", add).isZero();
        assertThat(Files.readString(usersFile)).contains("certificate: \"CN=sensor-17,O=Example\"")
                .doesNotContain("password:");
        Result same = users("", "add", "other", "--certificate", "cn=SENSOR-17,o=example");
        assertThat(same.exitCode()).as("%s", same).isEqualTo(1);
        assertThat(same.stderrLines()).singleElement().asString().contains("user 'sensor-17' has that certificate");
        assertThat(users("", "add", "bad", "--certificate", "sensor").exitCode()).isEqualTo(2);

        // Another user added, and a password given to the certificate user: the certificate stays.
        assertThat(users("alice-Secret\n", "add", "alice").exitCode()).isZero();
        assertThat(users("sensor-Secret\n", "passwd", "sensor-17").exitCode()).isZero();
        io.junction.core.security.User sensor = UsersReader.read(usersFile).user("sensor-17").orElseThrow();
        assertThat(sensor.certificate()).isEqualTo(new javax.security.auth.x500.X500Principal("CN=sensor-17,O=Example"));
        assertThat(sensor.password().matches("sensor-Secret".toCharArray())).isTrue();

        Result list = users("", "list");
        assertThat(list.stdout()).contains("CERTIFICATE").containsPattern("sensor-17 +sensors +yes +CN=sensor-17,O=Example")
                .containsPattern("alice +yes +-");
        assertThat(users("", "list", "--json").stdout().trim()).isEqualTo("[{\"user\":\"sensor-17\",\"groups\":"
                + "[\"sensors\"],\"certificate\":\"CN=sensor-17,O=Example\"},{\"user\":\"alice\",\"groups\":[]}]");
    }
}
