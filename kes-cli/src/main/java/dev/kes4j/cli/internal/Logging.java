package dev.kes4j.cli.internal;

import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The {@code kes4j} command's single logging path: SLF4J, printed by slf4j-simple as configured in
 * {@code simplelogger.properties} (with timestamps). {@code System.Logger} lines (kes-api's key
 * store discovery, the GCP store) reach SLF4J through {@code slf4j-jdk-platform-logging}, a service
 * the JDK finds on its own; {@code java.util.logging} lines (gRPC, Google's client) reach it
 * through the JUL bridge that {@link #install()} puts in place of JUL's console handler.
 */
public final class Logging {
  private Logging() {}

  /**
   * Routes {@code java.util.logging} to SLF4J: removes the root logger's handlers (so that no line
   * is printed twice, once in JUL's format) and installs the SLF4J bridge. Idempotent; affects the
   * whole JVM, so only the command's {@code main} (and tests) call it. Does not block.
   */
  public static synchronized void install() {
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
  }
}
