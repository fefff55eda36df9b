package dev.kes4j.http;

import static dev.kes4j.http.Responses.NDJSON;
import static dev.kes4j.http.Responses.appendNames;
import static dev.kes4j.http.Responses.decodeBody;
import static dev.kes4j.http.Responses.empty;
import static dev.kes4j.http.Responses.invalidBody;
import static dev.kes4j.http.Responses.json;
import static dev.kes4j.http.Responses.readBody;

import dev.kes4j.api.DataKey;
import dev.kes4j.api.DecryptRequest;
import dev.kes4j.api.KesException;
import dev.kes4j.api.KeyAlgorithm;
import dev.kes4j.api.KeyInfo;
import dev.kes4j.api.KeyService;
import dev.kes4j.api.Page;
import dev.kes4j.api.internal.GoTime;
import dev.kes4j.api.internal.KesJson;
import dev.kes4j.core.Kes;
import dev.kes4j.http.Endpoint.Call;
import dev.kes4j.http.Responses.BodyTooLarge;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code /v1/key/...} routes: the engine's key operations as KES answers them. Authorized
 * callers go through {@link Kes#asAuthorized} (the engine's own audit of the caller); secrets in
 * bodies are zeroed once answered. Thread-safe; every handler may block on the key store.
 */
final class KeyHandlers {
  private static final int MAX_BULK = 1000;

  private final Kes kes;
  private final boolean legacyListing;

  KeyHandlers(Kes kes, boolean legacyListing) {
    this.kes = kes;
    this.legacyListing = legacyListing;
  }

  private KeyService engine(Call call) {
    return call.identity() == null
        ? kes
        : kes.asAuthorized(call.identity(), call.request().remoteAddress());
  }

  ApiResponse create(Call call) {
    engine(call).createKey(call.resource());
    return empty();
  }

  ApiResponse delete(Call call) {
    engine(call).deleteKey(call.resource());
    return empty();
  }

  ApiResponse importKey(Call call) {
    KesJson.Obj f;
    byte[] key;
    String cipher;
    try {
      f = KesJson.firstObject(readBody(call.request(), call.route().maxBody()));
      if (!f.has("key") && f.has("bytes")) {
        // KES 0.16's import body {"bytes":"<b64>"}: always an AES256 key
        key = f.bytes("bytes");
        cipher = f.has("cipher") ? f.string("cipher") : "AES256";
      } else {
        key = f.bytes("key");
        cipher = f.string("cipher");
      }
    } catch (KesJson.DecodeException | BodyTooLarge e) {
      throw new KesException(400, "invalid import key request body");
    }
    try {
      KeyAlgorithm algorithm = KeyAlgorithm.parse(cipher);
      engine(call).importKey(call.resource(), algorithm, key);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
    return empty();
  }

  ApiResponse describe(Call call) {
    KeyInfo info = engine(call).describeKey(call.resource());
    StringBuilder sb = new StringBuilder(160);
    sb.append("{\"name\":").append(KesJson.quote(info.name()));
    sb.append(",\"algorithm\":").append(KesJson.quote(info.algorithm().kesName()));
    sb.append(",\"created_at\":").append(KesJson.quote(GoTime.format(info.createdAt())));
    if (!info.createdBy().isEmpty()) {
      sb.append(",\"created_by\":").append(KesJson.quote(info.createdBy()));
    }
    return json(sb.append('}'));
  }

  ApiResponse list(Call call) {
    ApiRequest req = call.request();
    String pattern = call.resource();
    KeyService engine = engine(call);
    Map<String, String> query = query(req.query());
    String continueAt = query.getOrDefault("continue_at", query.getOrDefault("continue", ""));
    int limit = 0;
    String l = query.get("limit");
    if (l != null) {
      try {
        limit = Integer.parseInt(l);
      } catch (NumberFormatException e) {
        throw new KesException(400, "invalid request body");
      }
    }
    if (legacyListing || req.header("Accept").orElse("").contains(NDJSON)) {
      // KES ≤ 0.22 listing: one {"name":..} per line, every page
      StringBuilder sb = new StringBuilder();
      String next = continueAt;
      do {
        Page<String> page = engine.listKeys(pattern, next, limit);
        for (String name : page.items()) {
          sb.append("{\"name\":");
          KesJson.quote(sb, name).append("}\n");
        }
        next = page.continueAt();
      } while (!next.isEmpty());
      return ApiResponse.of(200, Map.of("Content-Type", NDJSON), KesJson.utf8(sb));
    }
    Page<String> page = engine.listKeys(pattern, continueAt, limit);
    StringBuilder sb = new StringBuilder(64 + 24 * page.items().size()).append("{\"names\":[");
    appendNames(sb, page.items());
    sb.append(']');
    if (!page.continueAt().isEmpty()) {
      sb.append(",\"continue_at\":").append(KesJson.quote(page.continueAt()));
    }
    return json(sb.append('}'));
  }

  private static Map<String, String> query(String query) {
    if (query.isEmpty()) {
      return Map.of();
    }
    Map<String, String> out = new HashMap<>();
    for (String part : query.split("&")) {
      int eq = part.indexOf('=');
      String k = eq < 0 ? part : part.substring(0, eq);
      String v = eq < 0 ? "" : part.substring(eq + 1);
      try {
        out.putIfAbsent(
            URLDecoder.decode(k, StandardCharsets.UTF_8),
            URLDecoder.decode(v, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        // malformed escapes: ignore the parameter, as Go's ParseQuery drops it
      }
    }
    return out;
  }

  ApiResponse generate(Call call) {
    byte[] context = new byte[0];
    if (call.request().contentLength() != 0) { // spec §1.4: body parsed only if there is one
      context = decodeBody(call.route(), call.request(), f -> f.bytes("context"));
    }
    DataKey dek = engine(call).generateKey(call.resource(), context);
    byte[] plaintext = dek.plaintext();
    try {
      return json(
          new KesJson.ObjectWriter()
              .base64("plaintext", plaintext)
              .base64("ciphertext", dek.ciphertext()));
    } finally {
      Arrays.fill(plaintext, (byte) 0);
      dek.destroy();
    }
  }

  ApiResponse encrypt(Call call) {
    byte[][] in =
        decodeBody(
            call.route(),
            call.request(),
            f -> new byte[][] {f.bytes("plaintext"), f.bytes("context")});
    byte[] plaintext = in[0];
    try {
      byte[] ct = engine(call).encrypt(call.resource(), plaintext, in[1]);
      return json(new KesJson.ObjectWriter().base64("ciphertext", ct));
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  ApiResponse decrypt(Call call) {
    byte[][] in =
        decodeBody(
            call.route(),
            call.request(),
            f -> new byte[][] {f.bytes("ciphertext"), f.bytes("context")});
    byte[] plaintext = engine(call).decrypt(call.resource(), in[0], in[1]);
    try {
      return json(new KesJson.ObjectWriter().base64("plaintext", plaintext));
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  ApiResponse hmac(Call call) {
    byte[] message = decodeBody(call.route(), call.request(), f -> f.bytes("message"));
    byte[] mac = engine(call).hmac(call.resource(), message);
    return json("{\"hmac\":\"" + Base64.getEncoder().encodeToString(mac) + "\"}");
  }

  ApiResponse bulkDecrypt(Call call) {
    List<DecryptRequest> requests = new ArrayList<>();
    try {
      List<KesJson.Obj> items =
          KesJson.firstArrayOfObjects(readBody(call.request(), call.route().maxBody()));
      if (items.size() > MAX_BULK) {
        throw new KesException(400, "too many ciphertexts");
      }
      for (KesJson.Obj f : items) {
        requests.add(DecryptRequest.of(f.bytes("ciphertext"), f.bytes("context")));
      }
    } catch (KesJson.DecodeException | BodyTooLarge e) {
      throw invalidBody();
    }
    List<byte[]> plaintexts = engine(call).decryptAll(call.resource(), requests);
    StringBuilder sb = new StringBuilder(64 * plaintexts.size() + 2).append('[');
    for (int i = 0; i < plaintexts.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      byte[] p = plaintexts.get(i);
      sb.append("{\"plaintext\":\"").append(Base64.getEncoder().encodeToString(p)).append("\"}");
      Arrays.fill(p, (byte) 0);
    }
    return json(sb.append(']'));
  }
}
