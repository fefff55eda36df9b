/**
 * The parts of {@link dev.kes4j.junit.KesExtension} that need an optional module: the test server
 * (kes-server, kes-client) and the GCP fake store (kes-keystore-gcp, kes-keystore-gcp-fake), each
 * loaded only when its mode is asked for, and the check that names a missing artifact. Not
 * exported.
 */
package dev.kes4j.junit.internal;
