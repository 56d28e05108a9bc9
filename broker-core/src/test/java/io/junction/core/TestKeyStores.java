package io.junction.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * PKCS12 stores for TLS tests, made with the {@code keytool} of the JDK running the tests: a
 * self-signed key pair, and a trust store holding another store's certificate.
 */
public final class TestKeyStores {

    private TestKeyStores() {
    }

    /** A store with one EC key pair under {@code alias}, its certificate valid for localhost and 127.0.0.1. */
    public static Path keyPair(Path store, String alias, String subject, String password) {
        keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", subject,
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "30", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", password, "-keypass", password);
        return store;
    }

    /** A trust store holding the certificate of {@code alias} in {@code from}. */
    public static Path trustStore(Path from, String alias, String password, Path into) {
        Path certificate = into.resolveSibling(alias + ".crt");
        keytool("-exportcert", "-alias", alias, "-keystore", from.toString(), "-storepass", password,
                "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", alias, "-file", certificate.toString(), "-storetype", "PKCS12",
                "-keystore", into.toString(), "-storepass", password);
        return into;
    }

    private static void keytool(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
