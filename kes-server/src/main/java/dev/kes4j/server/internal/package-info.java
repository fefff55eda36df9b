/** Implementation details of kes-server (Netty handler, TLS, PEM, metrics, dev server): not API. */
package dev.kes4j.server.internal;
