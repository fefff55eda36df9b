/** The commands of the {@code kes4j} CLI; not an API. */
package dev.kes4j.cli.internal;
