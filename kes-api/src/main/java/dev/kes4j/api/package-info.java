/** kes4j's operations ({@link dev.kes4j.api.KeyService}), values and errors. */
package dev.kes4j.api;
