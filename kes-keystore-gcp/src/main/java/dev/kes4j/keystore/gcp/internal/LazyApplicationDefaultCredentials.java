package dev.kes4j.keystore.gcp.internal;

import com.google.auth.Credentials;
import com.google.auth.oauth2.GoogleCredentials;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Google Application Default Credentials, looked up on first use instead of at construction: a
 * store can be built on a machine without ADC (tests against an emulator, a server whose metadata
 * server is not up yet). A lookup failure fails the call that needed it (the client reports it as
 * {@code UNAVAILABLE}), and the lookup is tried again on the next call. Thread-safe.
 */
public final class LazyApplicationDefaultCredentials extends Credentials {
  private static final long serialVersionUID = 1L;

  private final List<String> scopes;
  private final transient AtomicReference<GoogleCredentials> delegate = new AtomicReference<>();

  /** Credentials that will carry {@code scopes} when the ADC are looked up. */
  public LazyApplicationDefaultCredentials(List<String> scopes) {
    this.scopes = List.copyOf(scopes);
  }

  private GoogleCredentials delegate() throws IOException {
    GoogleCredentials current = delegate.get();
    if (current == null) {
      current = GoogleCredentials.getApplicationDefault().createScoped(scopes);
      if (!delegate.compareAndSet(null, current)) {
        current = delegate.get();
      }
    }
    return current;
  }

  @Override
  public String getAuthenticationType() {
    return "OAuth2";
  }

  @Override
  public Map<String, List<String>> getRequestMetadata(URI uri) throws IOException {
    return delegate().getRequestMetadata(uri);
  }

  @Override
  public boolean hasRequestMetadata() {
    return true;
  }

  @Override
  public boolean hasRequestMetadataOnly() {
    return true;
  }

  @Override
  public void refresh() throws IOException {
    delegate().refresh();
  }

  @Override
  public String toString() {
    return "LazyApplicationDefaultCredentials[scopes=" + scopes + "]";
  }
}
