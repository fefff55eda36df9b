package dev.kes4j.client.internal;

import dev.kes4j.api.DecryptionException;
import dev.kes4j.api.InvalidNameException;
import dev.kes4j.api.KesException;
import dev.kes4j.api.KeyExistsException;
import dev.kes4j.api.KeyNotFoundException;
import dev.kes4j.api.KeyStoreUnreachableException;
import dev.kes4j.api.NotAuthorizedException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a KES error response into the exception the engine would have thrown (spec §1.2), for every
 * server generation: the newest and the legacy (≤ 0.17) strings map to the same exceptions.
 * Stateless and thread-safe.
 */
public final class Errors {
  private static final Pattern KEY_NAME =
      Pattern.compile(
          "key name '(.*)' is empty, too long or contains invalid characters", Pattern.DOTALL);
  private static final Pattern POLICY_NAME =
      Pattern.compile(
          "policy name '(.*)' is empty, too long or contains invalid characters", Pattern.DOTALL);
  private static final Pattern IDENTITY =
      Pattern.compile(
          "identity '(.*)' is empty, too long or contains invalid characters", Pattern.DOTALL);
  private static final Pattern LIST_PATTERN =
      Pattern.compile("listing pattern '(.*)' is empty, too long or is invalid", Pattern.DOTALL);
  private static final Pattern LEGACY_BODY =
      Pattern.compile("\\A\\s*\\{\\s*\"message\"\\s*:\\s*\"(.*)\"\\s*}\\s*\\z", Pattern.DOTALL);

  private Errors() {}

  /**
   * The message of an error body as kms-go reads it: when the Content-Type starts with {@code
   * application/json}, the {@code message} field (or {@code error} when there is no message; KES
   * 0.16's bodies are not JSON-escaped and are read leniently); otherwise the raw text. Trailing
   * whitespace is dropped; an empty message becomes {@code HTTP <status>}.
   */
  public static String message(int status, String contentType, byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    String message = text;
    if (contentType != null
        && contentType.trim().toLowerCase(Locale.ROOT).startsWith("application/json")) {
      Object node = Json.tryParse(text);
      if (Json.isObject(node)) {
        Object m = Json.field(node, "message");
        if (Json.isNull(m)) {
          m = Json.field(node, "error");
        }
        message = Json.text(m);
      } else {
        Matcher lm = LEGACY_BODY.matcher(text);
        if (lm.matches()) {
          message = lm.group(1); // KES 0.16 formats the body without escaping the text
        }
      }
    }
    message = message.stripTrailing();
    return message.isEmpty() ? "HTTP " + status : message;
  }

  /**
   * The exception for an error response.
   *
   * <ul>
   *   <li>403, any message → {@link NotAuthorizedException}
   *   <li>404 {@code key does not exist} → {@link KeyNotFoundException}
   *   <li>400 {@code key already exists} / {@code key does already exist} → {@link
   *       KeyExistsException}
   *   <li>400 {@code decryption failed: ciphertext is not authentic} → {@link DecryptionException}
   *   <li>400 with an invalid name / pattern message → {@link InvalidNameException}
   *   <li>502, 504 → {@link KeyStoreUnreachableException} with the server's message
   *   <li>anything else 4xx/5xx → {@link KesException} with the status and message; other statuses
   *       (1xx–3xx) → {@link KesException} 502
   * </ul>
   */
  public static KesException toException(int status, String contentType, byte[] body) {
    String message = message(status, contentType, body);
    switch (status) {
      case 403:
        return new NotAuthorizedException();
      case 404:
        if (message.equals(KeyNotFoundException.MESSAGE)) {
          return new KeyNotFoundException();
        }
        break;
      case 400:
        if (message.equals(KeyExistsException.MESSAGE)
            || message.equals(KeyExistsException.LEGACY_MESSAGE)) {
          return new KeyExistsException();
        }
        if (message.equals(DecryptionException.MESSAGE)) {
          return new DecryptionException();
        }
        KesException invalid = invalidName(message);
        if (invalid != null) {
          return invalid;
        }
        break;
      case 502:
        return new KeyStoreUnreachableException(false, message, null);
      case 504:
        return new KeyStoreUnreachableException(true, message, null);
      default:
        break;
    }
    if (status < 400 || status > 599) {
      return new KesException(502, "unexpected HTTP status " + status + ": " + message);
    }
    return new KesException(status, message);
  }

  private static KesException invalidName(String message) {
    Matcher m = KEY_NAME.matcher(message);
    if (m.matches()) {
      return InvalidNameException.keyName(m.group(1));
    }
    m = POLICY_NAME.matcher(message);
    if (m.matches()) {
      return InvalidNameException.policyName(m.group(1));
    }
    m = IDENTITY.matcher(message);
    if (m.matches()) {
      return InvalidNameException.identity(m.group(1));
    }
    m = LIST_PATTERN.matcher(message);
    if (m.matches()) {
      return InvalidNameException.listPattern(m.group(1));
    }
    return null;
  }
}
