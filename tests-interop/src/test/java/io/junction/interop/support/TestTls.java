package io.junction.interop.support;

import io.junction.core.config.TlsProvider;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Key and trust stores for TLS tests, made once per test JVM with the JDK's {@code keytool} in a
 * temporary directory: the broker's self-signed certificate (for {@code localhost} and
 * {@code 127.0.0.1}), a client certificate the broker trusts and one it does not.
 *
 * <ul>
 *   <li>{@link #brokerKeyStore()}: the broker's key; give it to a listener as {@code keyStore};</li>
 *   <li>{@link #brokerTrustStore()}: the trusted client's certificate, the listener's {@code trustStore};</li>
 *   <li>{@link #clientKeyStore()} / {@link #strangerKeyStore()}: client keys, trusted and not;</li>
 *   <li>{@link #clientTrustStore()}: the broker's certificate, for clients.</li>
 * </ul>
 * Every store has the password {@link #PASSWORD}.
 */
public final class TestTls {

    public static final String PASSWORD = "test-secret";
    public static final String CLIENT_SUBJECT = "CN=trusted-client,O=Junction Tests";

    private static TestTls instance;

    private final Path directory;

    private TestTls(Path directory) {
        this.directory = directory;
    }

    /** The stores, created on first use. */
    public static synchronized TestTls get() {
        if (instance == null) {
            try {
                Path directory = Files.createTempDirectory("junction-tls-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> Directories.deleteRecursively(directory)));
                instance = new TestTls(directory);
                instance.create();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    public Path brokerKeyStore() {
        return directory.resolve("broker.p12");
    }

    public Path brokerTrustStore() {
        return directory.resolve("broker-trust.p12");
    }

    public Path clientKeyStore() {
        return directory.resolve("client.p12");
    }

    public Path strangerKeyStore() {
        return directory.resolve("stranger.p12");
    }

    /** The broker's certificate as PEM, for clients outside Java (stomp.py). */
    public Path brokerCertificatePem() {
        return directory.resolve("broker.pem");
    }

    public Path clientTrustStore() {
        return directory.resolve("client-trust.p12");
    }

    /**
     * A listener entry for {@link EmbeddedBroker}'s extra YAML (it follows the listeners there),
     * on an ephemeral port.
     *
     * @param clientAuth none, optional or required
     */
    public String listenerYaml(String name, String protocols, String clientAuth) {
        return listenerYaml(name, protocols, "tls", clientAuth);
    }

    /**
     * One listener per TLS provider, named {@code <name>-jdk} and {@code <name>-openssl} (see
     * {@link #listenerName}), each naming its provider explicitly.
     */
    public String listenerYamlPerProvider(String name, String protocols, String clientAuth) {
        StringBuilder yaml = new StringBuilder();
        for (TlsProvider provider : TlsProvider.values()) {
            yaml.append(listenerYaml(listenerName(name, provider), protocols, "tls", clientAuth))
                    .append("      provider: ").append(provider.yamlName()).append('\n');
        }
        return yaml.toString();
    }

    /** The name {@link #listenerYamlPerProvider} gives the listener of this provider. */
    public static String listenerName(String name, TlsProvider provider) {
        return name + "-" + provider.yamlName();
    }

    /**
     * The same for another transport that takes the {@code tls} block: {@code tls} or {@code wss}.
     */
    public String listenerYaml(String name, String protocols, String transport, String clientAuth) {
        return """
                  - name: %s
                    protocols: [%s]
                    transport: %s
                    port: 0
                    tls:
                      keyStore: %s
                      keyStorePassword: %s
                      trustStore: %s
                      trustStorePassword: %s
                      clientAuth: %s
                """.formatted(name, protocols, transport, brokerKeyStore(), PASSWORD, brokerTrustStore(), PASSWORD, clientAuth);
    }

    /** A client context that trusts the broker, with the trusted client's certificate or none. */
    public SSLContext clientContext(boolean withCertificate) {
        return clientContext(withCertificate ? clientKeyStore() : null, "TLSv1.3");
    }

    /**
     * @param keyStore the client's key store, or null for a client without a certificate
     * @param protocol the TLS version the client speaks, e.g. {@code TLSv1.1}
     */
    public SSLContext clientContext(Path keyStore, String protocol) {
        try {
            KeyManager[] keys = null;
            if (keyStore != null) {
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(load(keyStore), PASSWORD.toCharArray());
                keys = kmf.getKeyManagers();
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(load(clientTrustStore()));
            TrustManager[] trust = tmf.getTrustManagers();
            SSLContext context = SSLContext.getInstance(protocol);
            context.init(keys, trust, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore load(Path file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            return store;
        }
    }

    private void create() {
        keyPair(brokerKeyStore(), "broker", "CN=localhost,O=Junction Tests", "SAN=dns:localhost,ip:127.0.0.1");
        keyPair(clientKeyStore(), "client", CLIENT_SUBJECT, null);
        keyPair(strangerKeyStore(), "stranger", "CN=stranger,O=Elsewhere", null);
        trust(brokerKeyStore(), "broker", clientTrustStore());
        trust(clientKeyStore(), "client", brokerTrustStore());
        keytool(List.of("-exportcert", "-rfc", "-alias", "broker", "-keystore", brokerKeyStore().toString(),
                "-storepass", PASSWORD, "-file", brokerCertificatePem().toString()));
    }

    private void keyPair(Path store, String alias, String subject, String extension) {
        List<String> args = new ArrayList<>(List.of("-genkeypair", "-alias", alias, "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", subject, "-validity", "30", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD));
        if (extension != null) {
            args.addAll(List.of("-ext", extension));
        }
        keytool(args);
    }

    /** Exports the certificate of {@code alias} in {@code from} and imports it into {@code into}. */
    private void trust(Path from, String alias, Path into) {
        Path certificate = directory.resolve(alias + ".crt");
        keytool(List.of("-exportcert", "-alias", alias, "-keystore", from.toString(), "-storepass", PASSWORD,
                "-file", certificate.toString()));
        keytool(List.of("-importcert", "-noprompt", "-alias", alias, "-file", certificate.toString(),
                "-storetype", "PKCS12", "-keystore", into.toString(), "-storepass", PASSWORD));
    }

    /** Runs the keytool of the JDK that runs the tests. */
    public static void keytool(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(args);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args.get(0) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
