/**
 * The reference KES server: {@link dev.kes4j.server.KesServer} serves kes-http's transport-neutral
 * {@link dev.kes4j.http.KesHttpApi} over mutual TLS with Netty. Hosts with a server of their own
 * mount {@code KesHttpApi} directly and need only {@code kes-http}. The {@code kes4j} command line
 * is the {@code kes-cli} module.
 */
package dev.kes4j.server;
