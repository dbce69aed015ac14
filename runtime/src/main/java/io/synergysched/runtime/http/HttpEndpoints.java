package io.synergysched.runtime.http;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.synergysched.runtime.config.HttpAccess;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * HTTP servers and clients as {@link HttpAccess} says: plain HTTP, HTTPS with this service's key,
 * or HTTPS that requires a trusted client certificate (mutual TLS); the client side presents the
 * same key and trusts the same truststore.
 */
public final class HttpEndpoints {

  private HttpEndpoints() {}

  /**
   * A server bound to {@code address}, not started: HTTPS when {@code access} has a keystore,
   * demanding client certificates under mTLS.
   *
   * @throws IllegalArgumentException naming the key of a store that cannot be loaded
   */
  public static HttpServer server(InetSocketAddress address, int backlog, HttpAccess access)
      throws IOException {
    if (!access.tls()) {
      return HttpServer.create(address, backlog);
    }
    SSLContext context = sslContext(access);
    HttpsServer server = HttpsServer.create(address, backlog);
    boolean mutual = access.mode() == HttpAccess.Mode.MTLS;
    server.setHttpsConfigurator(new HttpsConfigurator(context) {
      @Override
      public void configure(HttpsParameters params) {
        SSLParameters ssl = context.getDefaultSSLParameters();
        ssl.setNeedClientAuth(mutual);
        params.setSSLParameters(ssl);
      }
    });
    return server;
  }

  /** A client for calling peers: their truststore, and this service's key under mTLS. */
  public static HttpClient client(HttpAccess access, Duration connectTimeout) {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(connectTimeout);
    if (access.tls() || access.truststore() != null) {
      builder.sslContext(sslContext(access));
    }
    return builder.build();
  }

  /**
   * The TLS context of {@code access}: its keystore's key (if any) and its truststore (the JDK's
   * default CAs if none).
   *
   * @throws IllegalArgumentException naming the key of a store that cannot be loaded
   */
  public static SSLContext sslContext(HttpAccess access) {
    try {
      KeyManagerFactory keys = null;
      if (access.keystore() != null) {
        KeyStore store = load(access.keystore(), HttpAccess.KEYSTORE);
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password(access.keystore()));
      }
      TrustManagerFactory trust = null;
      if (access.truststore() != null) {
        trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(access.truststore(), HttpAccess.TRUSTSTORE));
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys == null ? null : keys.getKeyManagers(),
          trust == null ? null : trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(HttpAccess.KEYSTORE + ": cannot use the key ("
          + e.getClass().getSimpleName() + ")", e);
    }
  }

  private static KeyStore load(HttpAccess.Store store, String key) {
    // PKCS12 or JKS, whichever the file is: the JDK's keystores read both
    try (InputStream in = Files.newInputStream(store.file())) {
      KeyStore keyStore = KeyStore.getInstance(KeyStore.getDefaultType());
      keyStore.load(in, password(store));
      return keyStore;
    } catch (IOException | GeneralSecurityException e) {
      // never the password: the key, the file and what went wrong
      throw new IllegalArgumentException(key + ": cannot load " + store.file()
          + " (wrong password, or not a PKCS12/JKS store): " + e.getClass().getSimpleName(), e);
    }
  }

  private static char[] password(HttpAccess.Store store) {
    return store.password() == null ? null : store.password().toCharArray();
  }
}
