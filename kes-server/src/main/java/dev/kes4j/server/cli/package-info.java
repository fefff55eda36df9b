/** The {@code kes4j} command line ({@code server}, {@code identity new|of}); entry point only. */
package dev.kes4j.server.cli;
