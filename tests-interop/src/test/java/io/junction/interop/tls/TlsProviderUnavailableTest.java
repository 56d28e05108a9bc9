package io.junction.interop.tls;

import io.junction.interop.support.BrokerProcess;
import io.junction.interop.support.TestTls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

/**
 * {@code provider: openssl} on a machine where netty-tcnative's BoringSSL does not load: start-up
 * stops with one line naming the config file and the provider's line. Netty's own switch
 * {@code -Dio.netty.handler.ssl.noOpenSsl=true} stands for the missing library (another platform,
 * a temp directory mounted noexec): it makes the same check fail the same way.
 */
@Timeout(180)
class TlsProviderUnavailableTest {

    private static final TestTls TLS = TestTls.get();
    private static final String CONFIG = BrokerProcess.smallConfig()
            + TLS.listenerYaml("mqtt-tls", "mqtt", "none") + "      provider: openssl\n";

    @RegisterExtension
    final BrokerProcess broker = BrokerProcess.builder().tempDirectory("junction-tls-provider-").config(CONFIG)
            .javaOpts("-Xms64m -Xmx256m -Dio.netty.handler.ssl.noOpenSsl=true").build();

    @Test
    void openSslWithoutTheNativeLibraryStopsStartUpAtTheProviderLine() throws Exception {
        Process run = broker.launch();
        assertThat(run.waitFor(120, TimeUnit.SECONDS)).as("broker still running: %s", broker.output()).isTrue();

        assertThat(run.exitValue()).as("%s", broker.output()).isEqualTo(2);
        int providerLine = CONFIG.lines().toList().indexOf("      provider: openssl") + 1;
        List<String> lines = broker.output().lines().toList();
        assertThat(lines).as("%s", broker.output())
                .filteredOn(line -> line.contains(broker.config() + ":")).singleElement(STRING)
                .contains(broker.config() + ":" + providerLine + ": ")
                .contains("provider openssl cannot be used on this machine")
                .contains("io.netty.handler.ssl.noOpenSsl=true")
                .contains("provider: jdk");
    }
}
