package dev.kes4j.http;

import static dev.kes4j.http.Endpoint.Blocking.ALWAYS;
import static dev.kes4j.http.Endpoint.Blocking.NEVER;
import static dev.kes4j.http.Endpoint.Blocking.UNLESS_CACHED;
import static dev.kes4j.http.Endpoint.INTERNAL;
import static dev.kes4j.http.KesHttpApi.Auth.IDENTIFY;
import static dev.kes4j.http.KesHttpApi.Auth.NONE;
import static dev.kes4j.http.KesHttpApi.Auth.VERIFY;

import dev.kes4j.api.ApiPath;
import dev.kes4j.http.Endpoint.Blocking;
import java.time.Duration;
import java.util.List;

/**
 * KES's route table (spec §1.3): one row per route, in the order {@code /v1/api} lists them. Body
 * limits are the newest KES's ({@code 1 * mem.MB} decimal for the crypto routes, 1 MiB for bulk
 * decryption); timeouts 10 s for {@code /version} and {@code /v1/api}, 15 s elsewhere, none for the
 * log streams.
 */
final class RouteTable {
  private static final long MIB = 1L << 20;
  private static final long MB = KesHttpApi.MB;

  private RouteTable() {}

  /** The rows, served by these handlers. */
  static List<Endpoint> of(KeyHandlers keys, PolicyHandlers policies, ServiceHandlers service) {
    return List.of(
        row(ApiPath.VERSION, 0, 10, NEVER, NONE, "failed to read server version", service::version),
        row(ApiPath.READY, 0, 15, ALWAYS, VERIFY, INTERNAL, service::ready),
        row(ApiPath.STATUS, 0, 15, ALWAYS, VERIFY, INTERNAL, service::status),
        new Endpoint(
            ApiPath.METRICS,
            0,
            Duration.ofSeconds(15),
            ALWAYS, // a scrape may count heap objects (HeapObjects: a heap walk)
            VERIFY,
            false, // KES neither counts nor audits scrapes
            INTERNAL,
            service::metrics),
        row(ApiPath.API, 0, 10, NEVER, VERIFY, INTERNAL, service::api),
        row(ApiPath.KEY_CREATE, 0, 15, ALWAYS, VERIFY, INTERNAL, keys::create),
        row(ApiPath.KEY_IMPORT, MB, 15, ALWAYS, VERIFY, INTERNAL, keys::importKey),
        row(ApiPath.KEY_DESCRIBE, 0, 15, UNLESS_CACHED, VERIFY, INTERNAL, keys::describe),
        row(ApiPath.KEY_LIST, 0, 15, ALWAYS, VERIFY, INTERNAL, keys::list),
        row(ApiPath.KEY_DELETE, 0, 15, ALWAYS, VERIFY, INTERNAL, keys::delete),
        row(
            ApiPath.KEY_GENERATE,
            MB,
            15,
            UNLESS_CACHED,
            VERIFY,
            "failed to generate encryption key",
            keys::generate),
        row(
            ApiPath.KEY_ENCRYPT,
            MB,
            15,
            UNLESS_CACHED,
            VERIFY,
            "failed to encrypt plaintext",
            keys::encrypt),
        row(
            ApiPath.KEY_DECRYPT,
            MB,
            15,
            UNLESS_CACHED,
            VERIFY,
            "failed to decrypt ciphertext",
            keys::decrypt),
        row(ApiPath.KEY_HMAC, MB, 15, UNLESS_CACHED, VERIFY, INTERNAL, keys::hmac),
        row(
            ApiPath.KEY_BULK_DECRYPT,
            MIB,
            15,
            ALWAYS,
            VERIFY,
            "failed to decrypt ciphertext",
            keys::bulkDecrypt),
        row(ApiPath.POLICY_DESCRIBE, 0, 15, NEVER, VERIFY, INTERNAL, policies::describePolicy),
        row(ApiPath.POLICY_READ, 0, 15, NEVER, VERIFY, INTERNAL, policies::readPolicy),
        row(ApiPath.POLICY_LIST, 0, 15, NEVER, VERIFY, INTERNAL, policies::listPolicies),
        row(ApiPath.IDENTITY_DESCRIBE, 0, 15, NEVER, VERIFY, INTERNAL, policies::describeIdentity),
        row(ApiPath.IDENTITY_LIST, 0, 15, NEVER, VERIFY, INTERNAL, policies::listIdentities),
        row(
            ApiPath.IDENTITY_SELF_DESCRIBE,
            0,
            15,
            NEVER,
            IDENTIFY,
            INTERNAL,
            policies::selfDescribe),
        row(ApiPath.LOG_ERROR, 0, 0, ALWAYS, VERIFY, INTERNAL, service::errorLog),
        row(ApiPath.LOG_AUDIT, 0, 0, ALWAYS, VERIFY, INTERNAL, service::auditLog),
        row(ApiPath.LOG_ERROR_TRACE, 0, 0, ALWAYS, VERIFY, INTERNAL, service::errorLog),
        row(ApiPath.LOG_AUDIT_TRACE, 0, 0, ALWAYS, VERIFY, INTERNAL, service::auditLog));
  }

  private static Endpoint row(
      ApiPath path,
      long maxBody,
      int seconds,
      Blocking blocking,
      KesHttpApi.Auth auth,
      String failure,
      Endpoint.Handler handler) {
    return new Endpoint(
        path, maxBody, Duration.ofSeconds(seconds), blocking, auth, true, failure, handler);
  }
}
