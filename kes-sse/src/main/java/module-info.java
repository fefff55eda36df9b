/**
 * Server-side encryption of object data in MinIO's DARE 2.0 format (the package format of {@code
 * minio/sio}): {@link dev.kes4j.sse.Dare} is the raw stream layer over a 32-byte key, {@link
 * dev.kes4j.sse.ObjectEncryptor} the object layer with a fresh data key per object from a {@link
 * dev.kes4j.api.KeyService}. Depends on {@code dev.kes4j.api} only.
 */
module dev.kes4j.sse {
  requires transitive dev.kes4j.api;

  exports dev.kes4j.sse;
}
