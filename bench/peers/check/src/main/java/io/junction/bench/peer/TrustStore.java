package io.junction.bench.peer;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The certificate that the peers' TLS listeners present, as a client trusts it: the {@code trust.p12}
 * of {@code bench/peers/tls.sh} (PKCS12, password {@code loadgen}).
 */
final class TrustStore {

    private static final char[] PASSWORD = "loadgen".toCharArray();

    private TrustStore() {
    }

    static TrustManagerFactory trustManagers(Path trustP12) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(trustP12)) {
            store.load(in, PASSWORD);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory;
    }

    static SSLContext sslContext(Path trustP12) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers(trustP12).getTrustManagers(), null);
        return context;
    }
}
