/**
 * Test support shipped with the GCP key store: {@link
 * dev.kes4j.keystore.gcp.testing.FakeSecretManager}, a loopback gRPC Secret Manager with fault
 * injection, usable from tests or as a process.
 */
package dev.kes4j.keystore.gcp.testing;
