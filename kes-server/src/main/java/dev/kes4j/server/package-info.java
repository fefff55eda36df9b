/**
 * KES's HTTP API for kes4j: {@link dev.kes4j.server.KesHttpApi} maps requests to the engine
 * independent of any transport ({@link dev.kes4j.server.ApiRequest} in, {@link
 * dev.kes4j.server.ApiResponse} out), and {@link dev.kes4j.server.KesServer} serves it over mutual
 * TLS with Netty. The {@code kes4j} command line is the {@code kes-cli} module.
 */
package dev.kes4j.server;
