/**
 * Codecs shared by every kes4j module so that they agree byte for byte: {@link
 * dev.kes4j.api.internal.KesJson} (KES JSON) and {@link dev.kes4j.api.internal.GoTime} (Go's time
 * format), and {@link dev.kes4j.api.internal.StoreErrors} (key store failures in words, for logs
 * and startup errors). Not an API: exported only to kes4j modules and may change in any release.
 */
package dev.kes4j.api.internal;
