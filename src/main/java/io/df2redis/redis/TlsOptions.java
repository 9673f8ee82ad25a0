package io.df2redis.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * How a {@code rediss://} target's certificate is checked, and the client certificate to present
 * when the server asks for one ({@code tls-auth-clients yes}, Redis's default).
 *
 * <p>Trust comes from a PEM CA file ({@link #caFile}), a key store ({@link #trustStore}), or the
 * JVM's default trust store ({@link #systemDefault}). Host names are verified unless
 * {@link #withoutHostnameVerification()} is used.
 */
public final class TlsOptions {
    private final Path caFile;
    private final Path trustStore;
    private final char[] trustStorePassword;
    private final Path keyStore;
    private final char[] keyStorePassword;
    private final boolean verifyHostname;
    private volatile SSLSocketFactory factory;

    private TlsOptions(Path caFile, Path trustStore, char[] trustStorePassword, Path keyStore,
            char[] keyStorePassword, boolean verifyHostname) {
        this.caFile = caFile;
        this.trustStore = trustStore;
        this.trustStorePassword = trustStorePassword;
        this.keyStore = keyStore;
        this.keyStorePassword = keyStorePassword;
        this.verifyHostname = verifyHostname;
    }

    /** Trusts the JVM's default CAs. */
    public static TlsOptions systemDefault() {
        return new TlsOptions(null, null, null, null, null, true);
    }

    /** Trusts the CA certificate(s) in a PEM file. */
    public static TlsOptions caFile(Path pem) {
        return new TlsOptions(pem, null, null, null, null, true);
    }

    /** Trusts the certificates of a key store (PKCS12 or JKS, detected by the JDK). */
    public static TlsOptions trustStore(Path store, String password) {
        return new TlsOptions(null, store, chars(password), null, null, true);
    }

    /** Presents the client certificate and key of a key store (PKCS12 or JKS). */
    public TlsOptions withClientKeyStore(Path store, String password) {
        return new TlsOptions(caFile, trustStore, trustStorePassword, store, chars(password), verifyHostname);
    }

    /** Accepts a certificate whose names do not match the host (still checked against the CA). */
    public TlsOptions withoutHostnameVerification() {
        return new TlsOptions(caFile, trustStore, trustStorePassword, keyStore, keyStorePassword, false);
    }

    public boolean verifyHostname() {
        return verifyHostname;
    }

    SSLSocketFactory socketFactory() throws IOException {
        SSLSocketFactory f = factory;
        if (f == null) {
            f = buildFactory();
            factory = f;
        }
        return f;
    }

    private SSLSocketFactory buildFactory() throws IOException {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (caFile != null) {
                KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
                ks.load(null, null);
                try (InputStream in = Files.newInputStream(caFile)) {
                    Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
                    if (certs.isEmpty()) {
                        throw new IOException("no certificate in CA file " + caFile);
                    }
                    int i = 0;
                    for (Certificate c : certs) {
                        ks.setCertificateEntry("ca-" + i++, c);
                    }
                }
                tmf.init(ks);
            } else if (trustStore != null) {
                tmf.init(KeyStore.getInstance(trustStore.toFile(), trustStorePassword));
            } else {
                tmf.init((KeyStore) null);
            }
            KeyManagerFactory kmf = null;
            if (keyStore != null) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(KeyStore.getInstance(keyStore.toFile(), keyStorePassword), keyStorePassword);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS set-up failed: " + e.getMessage(), e);
        }
    }

    private static char[] chars(String s) {
        return s == null ? new char[0] : s.toCharArray();
    }
}
