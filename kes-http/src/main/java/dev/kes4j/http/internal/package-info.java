/**
 * Implementation details of kes-http (JSON, times, log streams, refusal lines, metrics): not API.
 */
package dev.kes4j.http.internal;
