package io.junction.core.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code tls} block of a listener whose transport is {@code tls} or {@code wss}: where the broker's key and
 * certificate are, whom it trusts for client certificates, and whether it asks for them. The
 * loader has already opened both stores with their passwords, so they are known to be readable.
 *
 * @param keyStore           PKCS12 file holding the broker's private key and certificate chain
 * @param keyStorePassword   the key store's password, also used for the key inside it
 * @param trustStore         PKCS12 file of the certificates that client certificates must chain to;
 *                           required when {@code clientAuth} is not {@code none}
 * @param trustStorePassword the trust store's password (empty when the store has none)
 * @param clientAuth         whether clients are asked for a certificate
 * @param provider           the TLS implementation; the loader has checked that it can be used
 */
public record TlsConfig(Path keyStore, String keyStorePassword, Optional<Path> trustStore, String trustStorePassword,
                        ClientAuth clientAuth, TlsProvider provider) {

    /** The TLS versions a listener accepts; older ones are refused during the handshake. */
    public static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    /**
     * The cipher suites a listener accepts, strongest first: the TLS 1.3 suites, and for TLS 1.2
     * only forward-secret ECDHE with an AEAD cipher (AES-GCM or ChaCha20-Poly1305).
     */
    public static final String[] CIPHER_SUITES = {
        "TLS_AES_256_GCM_SHA384",
        "TLS_AES_128_GCM_SHA256",
        "TLS_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    };

    public TlsConfig {
        Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(keyStorePassword, "keyStorePassword");
        Objects.requireNonNull(trustStore, "trustStore");
        Objects.requireNonNull(trustStorePassword, "trustStorePassword");
        Objects.requireNonNull(clientAuth, "clientAuth");
        Objects.requireNonNull(provider, "provider");
        if (clientAuth != ClientAuth.NONE && trustStore.isEmpty()) {
            throw new IllegalArgumentException("clientAuth " + clientAuth.yamlName() + " needs a trust store");
        }
    }

    /** A listener with the {@linkplain TlsProvider#DEFAULT default provider}. */
    public TlsConfig(Path keyStore, String keyStorePassword, Optional<Path> trustStore, String trustStorePassword,
                     ClientAuth clientAuth) {
        this(keyStore, keyStorePassword, trustStore, trustStorePassword, clientAuth, TlsProvider.DEFAULT);
    }

    /** Without the passwords, which must not reach a log. */
    @Override
    public String toString() {
        return "TlsConfig[keyStore=" + keyStore + ", trustStore=" + trustStore.map(Path::toString).orElse("none")
                + ", clientAuth=" + clientAuth.yamlName() + ", provider=" + provider.yamlName() + "]";
    }
}
