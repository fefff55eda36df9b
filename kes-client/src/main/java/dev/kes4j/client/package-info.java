/**
 * A Java client for KES servers (Go KES of every generation, or kes4j): {@link
 * dev.kes4j.client.KesClient} implements {@link dev.kes4j.api.KeyService} over HTTPS with mutual
 * TLS, so switching between the in-process engine and a remote server is a one-line change.
 */
package dev.kes4j.client;
