/**
 * KES's HTTP API independent of any transport: {@link dev.kes4j.http.KesHttpApi} maps an {@link
 * dev.kes4j.http.ApiRequest} (method, decoded path, TLS peer chain, headers, body) to the engine
 * and answers an {@link dev.kes4j.http.ApiResponse}. A host mounts it on its own HTTPS server;
 * {@code kes-server} is the reference mTLS front. Depends on kes-core only (JSON is kes-api's
 * shared KES codec): no Netty, no TLS provider, no metrics library (the Prometheus text is written
 * here).
 */
package dev.kes4j.http;
