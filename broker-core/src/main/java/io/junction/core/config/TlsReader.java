package io.junction.core.config;

import io.netty.handler.ssl.OpenSsl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Reads the {@code tls} block of a listener and opens its stores at once, so that a missing file
 * or a wrong password fails start-up at the line that names it rather than at the first client.
 */
final class TlsReader {

    static final String KEY = "tls";
    static final List<String> KEYS =
            List.of("keyStore", "keyStorePassword", "trustStore", "trustStorePassword", "clientAuth", "provider");

    private TlsReader() {
    }

    /**
     * @param listener      the listener's mapping, which holds the {@code tls} block
     * @param transport     the listener's transport, {@code tls} or {@code wss}
     * @param baseDirectory the config file's directory, which relative store paths resolve against
     * @param enabled       false for a listener that is not opened: its stores are not read, so that
     *                      it can wait in the file for a key store that does not exist yet
     */
    static TlsConfig read(YamlMap listener, Transport transport, Path baseDirectory, boolean enabled) {
        if (!listener.has(KEY)) {
            throw listener.error(listener.describe() + " has transport " + transport.yamlName() + " but no '" + KEY + "' block",
                    "give at least tls.keyStore and tls.keyStorePassword");
        }
        YamlMap tls = listener.map(KEY, KEYS);
        Scalar keyStoreValue = tls.required("keyStore");
        Scalar keyStorePassword = tls.required("keyStorePassword");
        Path keyStore = path(keyStoreValue, baseDirectory);
        if (enabled) {
            KeyStore keys = open(keyStoreValue, keyStore, keyStorePassword, "key store");
            checkHasKey(keyStoreValue, keyStore, keys, keyStorePassword);
        }

        Optional<Scalar> trustStoreValue = tls.scalar("trustStore");
        Optional<Path> trustStore = trustStoreValue.map(value -> path(value, baseDirectory));
        String trustStorePassword = tls.scalar("trustStorePassword").map(Scalar::text).orElse("");
        if (trustStoreValue.isPresent() && enabled) {
            Scalar passwordValue = tls.scalar("trustStorePassword").orElse(trustStoreValue.get());
            KeyStore trusted = open(trustStoreValue.get(), trustStore.get(), passwordValue, "trust store");
            checkTrustsSomething(trustStoreValue.get(), trustStore.get(), trusted);
        } else if (trustStoreValue.isEmpty() && tls.has("trustStorePassword")) {
            throw tls.error("trustStorePassword", "'trustStorePassword' is given without a 'trustStore'", null);
        }

        ClientAuth clientAuth = tls.scalar("clientAuth")
                .map(value -> value.asChoice(ClientAuth::byYamlName, ClientAuth.NAMES)).orElse(ClientAuth.NONE);
        if (clientAuth != ClientAuth.NONE && trustStore.isEmpty()) {
            throw tls.error("clientAuth", "clientAuth " + clientAuth.yamlName() + " needs a 'trustStore'"
                    + " of the certificates client certificates must chain to", null);
        }
        TlsProvider provider = tls.scalar("provider")
                .map(value -> checkUsable(value, value.asChoice(TlsProvider::byYamlName, TlsProvider.NAMES), enabled))
                .orElse(TlsProvider.DEFAULT);
        return new TlsConfig(keyStore, keyStorePassword.text(), trustStore, trustStorePassword, clientAuth, provider);
    }

    /**
     * The native library behind {@code openssl} is loaded here rather than when the listener
     * opens, so that a machine without it (another platform, a noexec temp directory) fails
     * start-up at the line that asked for it.
     */
    private static TlsProvider checkUsable(Scalar where, TlsProvider provider, boolean enabled) {
        if (provider == TlsProvider.OPENSSL && enabled && !OpenSsl.isAvailable()) {
            Throwable cause = OpenSsl.unavailabilityCause();
            throw where.error("provider openssl cannot be used on this machine: netty-tcnative's BoringSSL did not load ("
                    + oneLine(cause) + ")", "write provider: jdk, the JDK's TLS, which needs no native code");
        }
        return provider;
    }

    /** The loader's own message (the library it looked for, or the property that disabled it), on one line. */
    private static String oneLine(Throwable cause) {
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return message.replaceAll("\\s+", " ").trim();
    }

    private static Path path(Scalar value, Path baseDirectory) {
        try {
            return baseDirectory.resolve(value.nonEmpty()).normalize();
        } catch (InvalidPathException e) {
            throw value.invalid("a file system path", e.getReason());
        }
    }

    /**
     * @param where    the value a problem with the file is reported at
     * @param password the password, whose line a wrong password is reported at; for a store without
     *                 a password this is the path's own value, whose text is then not used
     */
    private static KeyStore open(Scalar where, Path file, Scalar password, String what) {
        char[] secret = password == where ? new char[0] : password.text().toCharArray();
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, secret);
            return store;
        } catch (NoSuchFileException e) {
            throw where.error(what + " file not found: " + file);
        } catch (AccessDeniedException e) {
            throw where.error(what + " file " + file + " is not readable by the broker");
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw password.error("wrong password for " + what + " " + file);
            }
            throw where.error("cannot read " + what + " " + file + " as PKCS12: " + e.getMessage(),
                    "create one with 'bin/junction tls-keystore' or keytool -storetype PKCS12");
        } catch (GeneralSecurityException e) {
            throw where.error("cannot read " + what + " " + file + ": " + e.getMessage());
        }
    }

    private static void checkHasKey(Scalar where, Path file, KeyStore store, Scalar password) {
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    try {
                        store.getKey(alias, password.text().toCharArray());
                    } catch (UnrecoverableKeyException e) {
                        throw password.error("the key '" + alias + "' in " + file
                                + " has another password than the key store",
                                "give the key the key store's password");
                    }
                    return;
                }
            }
        } catch (GeneralSecurityException e) {
            throw where.error("cannot read key store " + file + ": " + e.getMessage());
        }
        throw where.error("key store " + file + " holds no private key, only certificates",
                "a key store needs the broker's key and certificate; certificates to trust go in trustStore");
    }

    private static void checkTrustsSomething(Scalar where, Path file, KeyStore store) {
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isCertificateEntry(alias)) {
                    return;
                }
            }
        } catch (GeneralSecurityException e) {
            throw where.error("cannot read trust store " + file + ": " + e.getMessage());
        }
        throw where.error("trust store " + file + " holds no trusted certificate entry",
                "import the CA or client certificates with keytool -importcert");
    }
}
