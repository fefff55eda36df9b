/**
 * Example 4, mounting kes4j on a host's own transport: {@link
 * dev.kes4j.examples.host.KesHttpHandler} serves a {@link dev.kes4j.http.KesHttpApi} from the JDK's
 * {@code com.sun.net.httpserver}, and {@link dev.kes4j.examples.host.HostServer} is a host
 * application with its own HTTPS server, its own mTLS set-up and its own routes, serving KES's
 * routes next to them with unchanged authorization.
 */
package dev.kes4j.examples.host;
