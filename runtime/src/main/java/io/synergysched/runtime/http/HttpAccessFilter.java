package io.synergysched.runtime.http;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import io.synergysched.runtime.config.HttpAccess;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate in front of every HTTP context of a SynergySched service: request limits, then
 * authentication as {@link HttpAccess} says.
 *
 * <ul>
 *   <li>a request URI longer than {@value #MAX_URI_LENGTH} characters: 414;
 *   <li>a body larger than {@value #MAX_BODY_BYTES} bytes, or one of unknown length: 413 / 411;
 *   <li>no credentials: 401 with {@code WWW-Authenticate: Bearer realm="synergysched"};
 *   <li>a wrong token or another scheme: 401 with {@code error="invalid_token"} (RFC 6750).
 * </ul>
 *
 * The token is read from the {@code Authorization: Bearer} header or, for browser EventSource
 * which cannot set headers, the {@code access_token} query parameter. A token in a URL can end up
 * in access logs, proxies' logs and browser history: prefer the header, keep such URLs out of logs
 * (this service logs paths only, never query strings); every answer carries {@code
 * Referrer-Policy: no-referrer} so a page opened with the token does not pass it on.
 */
public final class HttpAccessFilter extends Filter {

  private static final Logger LOG = LoggerFactory.getLogger(HttpAccessFilter.class);

  /** Longest request URI (path and query) answered. */
  public static final int MAX_URI_LENGTH = 2048;

  /** Largest request body accepted. */
  public static final long MAX_BODY_BYTES = 64 * 1024;

  /**
   * How much of an oversized body is read and dropped before the 413 goes out. Closing a
   * connection with unread bytes makes the kernel reset it, and the client then sees a reset
   * instead of the 413 (the JDK server itself drains only 64 KiB); a body beyond this is cut off
   * with the reset, so the bound still caps the work a client can cause.
   */
  static final long DISCARD_LIMIT_BYTES = 1024 * 1024;

  /** The query parameter that may carry the bearer token. */
  public static final String TOKEN_PARAMETER = "access_token";

  private static final String REALM = "Bearer realm=\"synergysched\"";

  private final HttpAccess access;

  public HttpAccessFilter(HttpAccess access) {
    this.access = access;
  }

  /**
   * Puts a filter for {@code access} in front of {@code context}.
   *
   * @return the context
   */
  public static HttpContext protect(HttpContext context, HttpAccess access) {
    context.getFilters().add(new HttpAccessFilter(access));
    return context;
  }

  /** Logs, once per server, that its endpoints are open to anyone who reaches {@code where}. */
  public static void warnIfOpen(HttpAccess access, String where) {
    if (access.mode() == HttpAccess.Mode.TOKEN && !access.tls()) {
      LOG.info("{} checks a bearer token over plain HTTP: serve it over TLS ({}) or behind a"
          + " TLS proxy where the network is not trusted", where, HttpAccess.KEYSTORE);
    }
    if (access.mode() == HttpAccess.Mode.NONE) {
      LOG.warn("HTTP authentication is OFF for {} ({}=none): anyone who can reach the port can"
          + " read it; use this for local runs only", where, HttpAccess.AUTH);
    }
  }

  @Override
  public String description() {
    return "SynergySched request limits and authentication";
  }

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    // a page opened with ?access_token= must not hand the token on in a Referer header
    exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    URI uri = exchange.getRequestURI();
    String raw = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    if (raw.length() > MAX_URI_LENGTH) {
      reject(exchange, 414, null, "request URI longer than " + MAX_URI_LENGTH + " characters");
      return;
    }
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    if (exchange.getRequestHeaders().containsKey("Transfer-Encoding")) {
      reject(exchange, 411, null, "a request body needs a Content-Length");
      return;
    }
    if (length != null) {
      long bytes;
      try {
        bytes = Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        reject(exchange, 400, null, "Content-Length is not a number");
        return;
      }
      if (bytes < 0 || bytes > MAX_BODY_BYTES) {
        discardBody(exchange, bytes);
        reject(exchange, 413, null, "request body larger than " + MAX_BODY_BYTES + " bytes");
        return;
      }
    }
    if (access.mode() == HttpAccess.Mode.MTLS && !hasClientCertificate(exchange)) {
      // the handshake demands one; this guards a server set up without it
      reject(exchange, 401, null, "a client certificate is required");
      return;
    }
    if (access.mode() == HttpAccess.Mode.TOKEN) {
      String header = exchange.getRequestHeaders().getFirst("Authorization");
      String presented;
      if (header != null) {
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
          reject(exchange, 401, REALM + ", error=\"invalid_request\"",
              "only the Bearer authorization scheme is accepted");
          return;
        }
        presented = header.substring(7).trim();
      } else {
        try {
          presented = queryParameters(uri).get(TOKEN_PARAMETER);
        } catch (IllegalArgumentException e) {
          reject(exchange, 400, null, "malformed query string");
          return;
        }
      }
      if (presented == null) {
        reject(exchange, 401, REALM, "authentication required: send Authorization: Bearer <token>");
        return;
      }
      if (!access.accepts(presented)) {
        reject(exchange, 401, REALM + ", error=\"invalid_token\"", "invalid token");
        return;
      }
    }
    chain.doFilter(exchange);
  }

  private static boolean hasClientCertificate(HttpExchange exchange) {
    if (!(exchange instanceof HttpsExchange https) || https.getSSLSession() == null) {
      return false;
    }
    try {
      return https.getSSLSession().getPeerCertificates().length > 0;
    } catch (SSLPeerUnverifiedException e) {
      return false;
    }
  }

  /**
   * The query parameters of {@code uri}, decoded; the first value of a repeated name wins.
   *
   * @throws IllegalArgumentException for a malformed escape
   */
  public static Map<String, String> queryParameters(URI uri) {
    Map<String, String> params = new LinkedHashMap<>();
    String query = uri.getRawQuery();
    if (query == null || query.isEmpty()) {
      return params;
    }
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      params.putIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return params;
  }

  private static void discardBody(HttpExchange exchange, long declared) throws IOException {
    if (declared <= 0 || declared > DISCARD_LIMIT_BYTES) {
      return;
    }
    byte[] sink = new byte[8192];
    long left = declared;
    var in = exchange.getRequestBody();
    while (left > 0) {
      int read = in.read(sink, 0, (int) Math.min(sink.length, left));
      if (read < 0) {
        return;
      }
      left -= read;
    }
  }

  private static void reject(HttpExchange exchange, int status, String challenge, String message)
      throws IOException {
    if (challenge != null) {
      exchange.getResponseHeaders().set("WWW-Authenticate", challenge);
    }
    byte[] body = ("{\"error\":\"" + message.replace("\"", "'") + "\"}")
        .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("Connection", "close");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
    String path = exchange.getRequestURI().getRawPath();
    LOG.debug("{} {} rejected: {} {}", exchange.getRequestMethod(),
        path.length() > 200 ? path.substring(0, 200) + "..." : path, status, message);
  }
}
