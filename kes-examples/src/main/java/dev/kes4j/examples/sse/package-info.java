/**
 * Example 1, in-process server-side encryption for a Java object store: {@link
 * dev.kes4j.examples.sse.EncryptedObjectStore} stores files under a root directory and encrypts
 * every object with the supported {@code kes-sse} module ({@link dev.kes4j.sse.ObjectEncryptor}): a
 * per-object data key from a {@link dev.kes4j.api.KeyService}, bound to the object's path by
 * MinIO's KMS context, and MinIO's DARE 2.0 data format.
 */
package dev.kes4j.examples.sse;
