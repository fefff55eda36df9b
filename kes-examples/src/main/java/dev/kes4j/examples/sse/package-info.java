/**
 * Example 1, in-process server-side encryption for a Java object store: {@link
 * dev.kes4j.examples.sse.EncryptedObjectStore} encrypts every object under a per-object data key
 * from a {@link dev.kes4j.api.KeyService}, bound to the object's path by MinIO's KMS context, with
 * the streaming chunked AES-256-GCM format of {@link dev.kes4j.examples.sse.ObjectCipher}.
 */
package dev.kes4j.examples.sse;
