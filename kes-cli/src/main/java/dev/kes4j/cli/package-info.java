/**
 * The {@code kes4j} command line ({@link dev.kes4j.cli.Kes4j}): the server, identities, the client
 * commands of KES and {@code doctor}. Entry point only; the commands live in {@code internal}.
 */
package dev.kes4j.cli;
