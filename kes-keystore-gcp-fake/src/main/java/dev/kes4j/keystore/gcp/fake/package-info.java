/**
 * Test support for the GCP key store, shipped as its own artifact ({@code
 * dev.kes4j:kes-keystore-gcp-fake}, test scope): {@link
 * dev.kes4j.keystore.gcp.fake.FakeSecretManager}, a loopback gRPC Secret Manager with fault
 * injection that serves any project (unless one is pinned), usable from tests or as a process.
 */
package dev.kes4j.keystore.gcp.fake;
