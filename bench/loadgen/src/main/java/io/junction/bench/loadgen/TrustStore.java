package io.junction.bench.loadgen;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/**
 * The certificates a TLS client trusts ({@code --trust-store}, PKCS12): the benchmark's brokers
 * present a self-signed certificate (bench/peers/tls.sh), which the JDK's default trust does not
 * accept. Each client library takes it in its own form: a TrustManagerFactory or an SSLContext.
 */
final class TrustStore {

    private final TrustManagerFactory trustManagers;

    private TrustStore(TrustManagerFactory trustManagers) {
        this.trustManagers = trustManagers;
    }

    static TrustStore load(Path file, String password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return new TrustStore(factory);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("--trust-store " + file + ": no such file", e);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("--trust-store " + file + ": " + e.getMessage(), e);
        }
    }

    TrustManagerFactory trustManagers() {
        return trustManagers;
    }

    /** A client SSLContext (TLS 1.2 and 1.3, the JDK's defaults) that trusts this store's certificates. */
    SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS context: " + e.getMessage(), e);
        }
    }
}
