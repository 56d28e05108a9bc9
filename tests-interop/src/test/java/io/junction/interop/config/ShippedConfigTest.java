package io.junction.interop.config;

import io.junction.core.boot.JunctionServer;
import io.junction.core.config.BrokerConfig;
import io.junction.core.config.ConfigLoader;
import io.junction.core.spi.ProtocolModule;
import io.junction.core.spi.Setting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.junction.core.config.CompositeConfig;
import io.junction.core.model.Destination;
import io.junction.core.model.DestinationType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped {@code conf/broker.yaml} against the protocol modules really installed: it loads,
 * it equals the built-in defaults, and it documents every key each module declares.
 */
class ShippedConfigTest {

    private static final Path HOME = Path.of(System.getProperty("junction.home", ".."));

    @Test
    void shippedConfigLoadsAndEqualsTheDefaults() {
        Map<String, ProtocolModule> modules = JunctionServer.discoverModules();
        Map<String, List<Setting<?>>> settings = JunctionServer.settingsOf(modules);
        BrokerConfig shipped = ConfigLoader.load(HOME.resolve("conf/broker.yaml"), HOME, settings);
        BrokerConfig defaults = BrokerConfig.defaults(HOME, settings);
        assertThat(shipped.broker()).isEqualTo(defaults.broker());
        assertThat(shipped.listeners()).isEqualTo(defaults.listeners());
        assertThat(shipped.protocols()).isEqualTo(defaults.protocols());
        assertThat(shipped.store()).isEqualTo(defaults.store());
        assertThat(shipped.memory()).isEqualTo(defaults.memory());
        assertThat(shipped.security()).isEqualTo(defaults.security());
        assertThat(shipped.security().usersFile()).isEqualTo(HOME.resolve("conf/users.yaml").toAbsolutePath().normalize());
        // The shipped file spells the default policy out as a '>' policy.
        for (String name : List.of("orders", "a.b.c")) {
            for (boolean topic : new boolean[] {false, true}) {
                assertThat(shipped.destinations().policyFor(name, topic).values())
                        .isEqualTo(defaults.destinations().policyFor(name, topic).values());
                assertThat(shipped.destinations().autoCreate(name, topic))
                        .isEqualTo(defaults.destinations().autoCreate(name, topic));
            }
        }
    }

    /** The shipped users file has no users and leaves the guest mapping off. */
    @Test
    void shippedUsersFileHasNoUsersAndNoGuest() {
        io.junction.core.security.Users users = io.junction.core.config.UsersReader.read(HOME.resolve("conf/users.yaml"));
        assertThat(users.users()).isEmpty();
        assertThat(users.anonymous().enabled()).isFalse();
    }

    @Test
    void shippedConfigNamesEveryModuleSetting() throws Exception {
        String yaml = Files.readString(HOME.resolve("conf/broker.yaml"));
        for (ProtocolModule module : JunctionServer.discoverModules().values()) {
            for (Setting<?> setting : module.settings()) {
                assertThat(yaml).as("conf/broker.yaml documents %s.%s", module.name(), setting.key())
                        .contains(setting.key() + ":");
            }
        }
    }

    @Test
    void commentedOutCompositeExampleIsValid(@TempDir Path dir) throws Exception {
        String text = Files.readString(HOME.resolve("conf/broker.yaml"));
        int example = text.indexOf("  # composites:");
        String uncommented = text.substring(0, example).replace("  composites: []\n", "")
                + text.substring(example).replaceAll("(?m)^  # ", "  ");
        Path file = dir.resolve("broker.yaml");
        Files.writeString(file, uncommented);
        BrokerConfig config = ConfigLoader.load(file, HOME,
                JunctionServer.settingsOf(JunctionServer.discoverModules()));
        assertThat(config.destinations().composites()).containsExactly(new CompositeConfig("orders.all",
                DestinationType.QUEUE, List.of(Destination.queue("orders.eu"), Destination.queue("orders.us"),
                        Destination.topic("audit"))));
    }
}
