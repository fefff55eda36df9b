/**
 * A kes4j key store on Google Cloud Secret Manager ({@link
 * dev.kes4j.keystore.gcp.GcpSecretManagerKeyStore}), with KES's storage layout so that KES and
 * kes4j share keys, and its provider ({@code gcp.secretmanager}). A loopback Secret Manager fake
 * for tests is a separate artifact, {@code dev.kes4j:kes-keystore-gcp-fake} (package {@code
 * dev.kes4j.keystore.gcp.fake}), so that production deployments do not carry it.
 */
package dev.kes4j.keystore.gcp;
