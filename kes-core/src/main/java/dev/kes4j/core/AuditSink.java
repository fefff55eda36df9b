package dev.kes4j.core;

/**
 * Receives one {@link AuditEvent} per operation: every operation, successful or not, including
 * refused ones. Implementations must be thread-safe and fast — they run on the caller's thread —
 * and must not throw; a sink that needs I/O should hand events off.
 */
@FunctionalInterface
public interface AuditSink {
  /** Discards every event; the default. */
  AuditSink NONE = event -> {};

  /** Records one event. */
  void record(AuditEvent event);

  /**
   * A sink that logs each event as its JSON line at INFO on the SLF4J logger {@code kes4j.audit}.
   */
  static AuditSink slf4j() {
    org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger("kes4j.audit");
    return event -> {
      if (log.isInfoEnabled()) {
        log.info(event.toJson());
      }
    };
  }

  /** A sink that passes each event to both sinks, in order. */
  default AuditSink and(AuditSink other) {
    if (this == NONE) {
      return other;
    }
    if (other == NONE) {
      return this;
    }
    return event -> {
      record(event);
      other.record(event);
    };
  }
}
