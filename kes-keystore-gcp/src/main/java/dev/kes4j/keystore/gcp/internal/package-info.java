/** Internals of the GCP key store; not an API, may change without notice. */
package dev.kes4j.keystore.gcp.internal;
