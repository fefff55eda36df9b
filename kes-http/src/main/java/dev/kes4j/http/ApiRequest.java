package dev.kes4j.http;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One HTTP request as a transport received it, handed to {@link KesHttpApi#handle}. The transport
 * does no KES logic: it passes the method, the percent-decoded path, the TLS peer certificates,
 * headers and the body stream; {@link KesHttpApi} does routing, limits, identity and authorization.
 *
 * <p>Immutable apart from the body stream, which is read once by the API. Not thread-safe.
 */
public final class ApiRequest {
  private static final X509Certificate[] NONE = new X509Certificate[0];

  private final String method;
  private final String path;
  private final String query;
  private final X509Certificate[] peerCertificates;
  private final Map<String, List<String>> headers;
  private final InputStream body;
  private final long contentLength;
  private final String remoteAddress;

  private ApiRequest(Builder b) {
    this.method = b.method;
    this.path = b.path;
    this.query = b.query;
    this.peerCertificates = b.peerCertificates;
    this.headers = Collections.unmodifiableMap(b.headers);
    this.body = b.body;
    this.contentLength = b.contentLength;
    this.remoteAddress = b.remoteAddress;
  }

  /**
   * Starts a request.
   *
   * @param method the HTTP method, such as {@code GET}
   * @param path the percent-decoded URL path without query, such as {@code /v1/key/create/my-key}
   */
  public static Builder builder(String method, String path) {
    return new Builder(method, path);
  }

  /** The HTTP method. */
  public String method() {
    return method;
  }

  /** The percent-decoded URL path, without the query. */
  public String path() {
    return path;
  }

  /** The raw query string without {@code ?}; empty if none. */
  public String query() {
    return query;
  }

  /**
   * The client's certificate chain from the TLS handshake; empty if the client sent none; {@code
   * Optional.empty()} if the connection is not TLS at all.
   */
  public Optional<X509Certificate[]> peerCertificates() {
    return peerCertificates == null ? Optional.empty() : Optional.of(peerCertificates.clone());
  }

  /** The first value of a header (name case-insensitive). */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** All headers, names in lower case. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /** The request body; empty stream if none. Read at most once. */
  public InputStream body() {
    return body;
  }

  /** The declared body length, or -1 when unknown (chunked). */
  public long contentLength() {
    return contentLength;
  }

  /** The client's IP address; empty if unknown. */
  public String remoteAddress() {
    return remoteAddress;
  }

  @Override
  public String toString() {
    return "ApiRequest[" + method + " " + path + "]";
  }

  /** Builds an {@link ApiRequest}. */
  public static final class Builder {
    private final String method;
    private final String path;
    private String query = "";
    private X509Certificate[] peerCertificates;
    private final Map<String, List<String>> headers = new TreeMap<>();
    private InputStream body = new ByteArrayInputStream(new byte[0]);
    private long contentLength;
    private String remoteAddress = "";

    private Builder(String method, String path) {
      this.method = Objects.requireNonNull(method, "method");
      this.path = Objects.requireNonNull(path, "path");
    }

    /** The raw query string without {@code ?}. */
    public Builder query(String query) {
      this.query = Objects.requireNonNull(query, "query");
      return this;
    }

    /** The TLS peer chain (empty array: TLS without client certificate). Unset means no TLS. */
    public Builder peerCertificates(X509Certificate[] chain) {
      this.peerCertificates = chain == null ? NONE : chain.clone();
      return this;
    }

    /** Adds a header value. */
    public Builder header(String name, String value) {
      headers
          .computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(Objects.requireNonNull(value, "value"));
      return this;
    }

    /** The body and its declared length (-1 when unknown). */
    public Builder body(InputStream body, long contentLength) {
      this.body = Objects.requireNonNull(body, "body");
      this.contentLength = contentLength;
      return this;
    }

    /** The body as bytes. */
    public Builder body(byte[] body) {
      return body(new ByteArrayInputStream(body.clone()), body.length);
    }

    /** The client's IP address. */
    public Builder remoteAddress(String address) {
      this.remoteAddress = Objects.requireNonNull(address, "address");
      return this;
    }

    /** Builds the request. */
    public ApiRequest build() {
      return new ApiRequest(this);
    }
  }
}
