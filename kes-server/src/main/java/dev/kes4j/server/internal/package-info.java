/** Implementation details of kes-server (Netty handler, TLS, PEM, PKI, dev server): not API. */
package dev.kes4j.server.internal;
