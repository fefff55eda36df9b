#!/usr/bin/env bash
# MinIO's guide "KES with Google Cloud Secret Manager", end to end, with kes4j in place of KES and
# the Secret Manager fake (dev.kes4j.keystore.gcp.fake.FakeSecretManager) in place of Google's
# service: identities, the guide's config, the server, and the guide's curl calls as the app
# identity over mutual TLS. Prints every step; stops everything and removes its files on exit.
#
#   kes-examples/scripts/minio-gcp-walkthrough.sh
#
# Environment: KES_PORT (default 7373) the server's port; KEEP=1 keeps the working directory;
# JAVA (default: java on PATH) runs the fake; KES4J (default ./kes4j, the launcher, which builds
# kes4j.jar on first use) and KES4J_JAR (default: the jar the launcher runs) override the CLI.
# Needs curl.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
KES4J="${KES4J:-$ROOT/kes4j}"
PORT="${KES_PORT:-7373}"
JAVA="${JAVA:-java}"
KEY=my-minio-key
WORK="$(mktemp -d "${TMPDIR:-/tmp}/kes4j-minio-gcp.XXXXXX")"
FAKE_PID=""
KES_PID=""

cleanup() {
  local rc=$?
  set +e
  if [[ -n "$KES_PID" ]]; then
    kill "$KES_PID" 2>/dev/null
    wait "$KES_PID" 2>/dev/null
  fi
  if [[ -n "$FAKE_PID" ]]; then
    kill "$FAKE_PID" 2>/dev/null
    wait "$FAKE_PID" 2>/dev/null
  fi
  if [[ "${KEEP:-0}" == 1 ]]; then
    echo "files kept in $WORK"
  else
    rm -rf "$WORK"
  fi
  if [[ $rc -ne 0 ]]; then
    echo "walkthrough FAILED (exit $rc)" >&2
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step() { printf '\n== %s\n' "$*"; }
run() {
  printf '$ %s\n' "$*"
  "$@"
}
fail() {
  echo "error: $*" >&2
  exit 1
}
# the guide's curl, as the app identity; prints the call, the body and the status
kcurl() {
  local method="$1" path="$2"
  shift 2
  local data=""
  [[ $# -eq 2 && "$1" == -d ]] && data=" -d '$2'"
  printf '$ curl --key app.key --cert app.cert --cacert server.cert -X %s https://127.0.0.1:%s%s%s\n' \
    "$method" "$PORT" "$path" "$data"
  curl -sS --key app.key --cert app.cert --cacert server.cert -X "$method" \
    -o response.json -w '%{http_code}' "https://127.0.0.1:$PORT$path" "$@" >status.txt
  if [[ -s response.json ]]; then
    # the body as curl prints it, but without the plaintext data key
    sed 's/"plaintext":"[^"]*"/"plaintext":"<not shown>"/' response.json
    [[ -z "$(tail -c1 response.json)" ]] || echo # end the line if the body did not
  fi
  echo "<- HTTP $(cat status.txt)"
}
status() { cat "$WORK/status.txt"; }
json_field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" "$WORK/response.json"; }

command -v curl >/dev/null || fail "curl is required"
cd "$WORK"

step "0. kes4j (the launcher builds kes4j.jar on first use)"
run "$KES4J" --version
# the shaded jar holds the GCP key store and its fake: the one the launcher runs (its JAR=
# line), else the newest kes4j.jar of the build
JAR="${KES4J_JAR:-}"
if [[ -z "$JAR" ]]; then
  JAR="$(sed -n 's|^JAR="\$ROOT/\(.*\)"$|\1|p' "$KES4J" 2>/dev/null | head -n1)"
  JAR="${JAR:+$ROOT/$JAR}"
fi
if [[ -z "$JAR" || ! -f "$JAR" ]]; then
  JAR="$(ls -t "$ROOT"/*/target/kes4j.jar 2>/dev/null | head -n1 || true)"
fi
[[ -n "$JAR" && -f "$JAR" ]] || fail "no kes4j.jar found (set KES4J_JAR)"
echo "jar: $JAR"

step "1. Start the fake GCP Secret Manager (in place of the guide's GCP project)"
printf '$ %s\n' "java -cp kes4j.jar dev.kes4j.keystore.gcp.fake.FakeSecretManager --port 0 &"
"$JAVA" -cp "$JAR" dev.kes4j.keystore.gcp.fake.FakeSecretManager --port 0 >fake.out 2>fake.err &
FAKE_PID=$!
# it prints its port on the first line, then what it serves and how to point kes4j at it
for _ in $(seq 1 300); do
  grep -q 'Ctrl-C' fake.out 2>/dev/null && break
  kill -0 "$FAKE_PID" 2>/dev/null || { cat fake.err >&2; fail "the fake did not start"; }
  sleep 0.1
done
FAKE_PORT="$(head -n1 fake.out)"
[[ "$FAKE_PORT" =~ ^[0-9]+$ ]] || fail "the fake did not print its port"
sed -n '2,$p' fake.out
PROJECT=kes4j-test

step "2. The server's identity: a private key and self-signed certificate for 127.0.0.1/localhost"
run "$KES4J" identity new --ip 127.0.0.1 --dns localhost --key server.key --cert server.cert localhost

step "3. The application's (MinIO's) identity"
run "$KES4J" identity new --key app.key --cert app.cert app
run "$KES4J" identity of app.cert | tee identity.txt
# the identity: the hex SHA-256 in that output (alone, or on an "Identity" line)
MINIO_KES_IDENTITY="$(grep -oE '\b[0-9a-f]{64}\b' identity.txt | head -n1)"
[[ -n "$MINIO_KES_IDENTITY" ]] || fail "no identity in the output of identity of"
export MINIO_KES_IDENTITY
echo "\$ export MINIO_KES_IDENTITY=$MINIO_KES_IDENTITY"

step "4. The guide's server-config.yml (KES 0.16 schema; key store pointed at the fake)"
# The guide listens on 0.0.0.0:7373; this walkthrough stays on loopback. Secret Manager's
# endpoint is the fake's plaintext gRPC port; no credentials are used there, so they stay empty.
cat >server-config.yml <<EOF
address: 127.0.0.1:$PORT
root: disabled  # We disable the root identity since we don't need it in this guide

tls:
  key : ./server.key
  cert: ./server.cert

policy:
  minio:
    allow:
    - /v1/key/create/*
    - /v1/key/generate/*
    - /v1/key/decrypt/*
    identities:
    - \${MINIO_KES_IDENTITY}

cache:
  expiry:
    any: 5m0s
    unused: 20s

log:
  error: on
  audit: off

keystore:
  gcp:
    secretmanager:
      project_id: $PROJECT
      endpoint: http://127.0.0.1:$FAKE_PORT
      credentials:
        client_email: ""
        client_id: ""
        private_key_id: ""
        private_key: ""
EOF
cat server-config.yml

start_server() {
  printf '$ %s\n' "kes4j server --config server-config.yml &"
  "$KES4J" server --config server-config.yml >server.log 2>&1 &
  KES_PID=$!
  for _ in $(seq 1 600); do
    if curl -s -o /dev/null --key app.key --cert app.cert --cacert server.cert \
      "https://127.0.0.1:$PORT/version"; then
      cat server.log
      return 0
    fi
    kill -0 "$KES_PID" 2>/dev/null || { cat server.log >&2; fail "the server did not start"; }
    sleep 0.1
  done
  cat server.log >&2
  fail "the server did not answer within 60 s"
}

step "5. Start kes4j with the guide's config"
start_server

step "6. Create the key, as app (the policy allows /v1/key/create/*)"
kcurl POST "/v1/key/create/$KEY"
[[ "$(status)" == 200 ]] || fail "create answered $(status)"

step "7. Generate a data key, as MinIO does for an object (context: the object's path)"
CONTEXT="$(printf '%s' '{"bucket":"bucket/object"}' | base64 -w0)"
kcurl POST "/v1/key/generate/$KEY" -d "{\"context\":\"$CONTEXT\"}"
[[ "$(status)" == 200 ]] || fail "generate answered $(status)"
PLAINTEXT="$(json_field plaintext)"
CIPHERTEXT="$(json_field ciphertext)"
[[ -n "$PLAINTEXT" && -n "$CIPHERTEXT" ]] || fail "no data key in the answer"

step "8. Decrypt the sealed data key"
kcurl POST "/v1/key/decrypt/$KEY" -d "{\"ciphertext\":\"$CIPHERTEXT\",\"context\":\"$CONTEXT\"}"
[[ "$(status)" == 200 ]] || fail "decrypt answered $(status)"
[[ "$(json_field plaintext)" == "$PLAINTEXT" ]] || fail "decrypt returned another key"
echo "the same data key as generated"

step "9. Nothing else is allowed: deleting the key is denied"
kcurl DELETE "/v1/key/delete/$KEY"
[[ "$(status)" == 403 ]] || fail "delete answered $(status)"

step "10. The key in Secret Manager: secret id = key name, the key in version 1"
# A few lines of Java with Google's own client (inside kes4j.jar), run as a source file.
cat >InspectSecrets.java <<'EOF'
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.rpc.NotFoundException;
import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretManagerServiceSettings;
import com.google.cloud.secretmanager.v1.stub.SecretManagerServiceStubSettings;

public class InspectSecrets {
  public static void main(String[] args) throws Exception {
    String target = args[0], project = args[1];
    var settings = SecretManagerServiceSettings.newBuilder()
        .setEndpoint(target)
        .setCredentialsProvider(NoCredentialsProvider.create())
        .setTransportChannelProvider(
            SecretManagerServiceStubSettings.defaultGrpcTransportProviderBuilder()
                .setChannelConfigurator(b -> b.usePlaintext()).build())
        .build();
    int failures = 0;
    try (var client = SecretManagerServiceClient.create(settings)) {
      for (Secret s : client.listSecrets("projects/" + project).iterateAll()) {
        String id = s.getName().substring(s.getName().lastIndexOf('/') + 1);
        byte[] v1 = client.accessSecretVersion(s.getName() + "/versions/1")
            .getPayload().getData().toByteArray();
        boolean v2;
        try {
          client.accessSecretVersion(s.getName() + "/versions/2");
          v2 = true;
        } catch (NotFoundException e) {
          v2 = false;
        }
        System.out.printf("   secret %s: replication %s, labels %s, version 1: %d bytes"
            + " (base64 protobuf KeyVersion), version 2: %s%n",
            s.getName(), s.getReplication().hasAutomatic() ? "automatic" : "user-managed",
            s.getLabelsMap(), v1.length, v2 ? "present" : "none");
        if (!id.equals(args[2]) || v2 || !s.getLabelsMap().isEmpty()) failures++;
      }
    }
    System.exit(failures);
  }
}
EOF
printf '$ %s\n' "java -cp kes4j.jar InspectSecrets.java 127.0.0.1:$FAKE_PORT $PROJECT $KEY"
"$JAVA" -cp "$JAR" InspectSecrets.java "127.0.0.1:$FAKE_PORT" "$PROJECT" "$KEY" 2>inspect.err ||
  { cat inspect.err >&2; fail "the secret is not laid out as KES lays it out"; }

step "11. Restart kes4j: the key comes back from Secret Manager"
kill "$KES_PID" && wait "$KES_PID" 2>/dev/null || true
KES_PID=""
start_server
kcurl POST "/v1/key/decrypt/$KEY" -d "{\"ciphertext\":\"$CIPHERTEXT\",\"context\":\"$CONTEXT\"}"
[[ "$(status)" == 200 && "$(json_field plaintext)" == "$PLAINTEXT" ]] ||
  fail "decrypt after restart answered $(status)"
echo "the same data key as generated"

step "Done: the guide works against kes4j"
