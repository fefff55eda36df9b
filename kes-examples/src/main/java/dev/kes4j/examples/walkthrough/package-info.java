/**
 * Example 5, the seed walkthrough: MinIO's "KES with Google Cloud Secret Manager" guide end to end
 * against the Secret Manager fake ({@link dev.kes4j.examples.walkthrough.MinioGcpWalkthrough}),
 * with identities made like {@code kes4j identity new} makes them ({@link
 * dev.kes4j.examples.walkthrough.TlsIdentity}).
 */
package dev.kes4j.examples.walkthrough;
