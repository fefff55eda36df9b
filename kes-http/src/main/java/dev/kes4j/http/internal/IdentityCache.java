package dev.kes4j.http.internal;

import dev.kes4j.api.Identity;
import dev.kes4j.policy.Identities;
import java.security.cert.X509Certificate;

/**
 * Remembers the identities of recently seen peer chains, so that the requests of one connection
 * (which a transport hands over with the same certificate objects from its TLS session) hash the
 * client's public key once instead of once per request. A chain is recognised only by the very same
 * certificate objects in the same order ({@code ==}, never {@code equals}): a new handshake parses
 * new objects and is identified afresh, and nothing a client sends can make two chains collide.
 *
 * <p>Only chains that {@link Identities#fromPeerChain} accepts are cached; a rejected chain is
 * checked (and rejected) again on every request. Bounded ({@value #SLOTS} entries, each replaced by
 * the next chain that lands on its slot). Thread-safe: entries are immutable and published through
 * final fields; a lost race only costs one more computation.
 */
public final class IdentityCache {
  private static final int SLOTS = 256;

  private record Entry(X509Certificate[] chain, Identity identity) {}

  private final Entry[] slots = new Entry[SLOTS];

  /**
   * The identity of {@code chain}, as {@link Identities#fromPeerChain} computes it.
   *
   * @throws dev.kes4j.policy.PeerChainException as {@link Identities#fromPeerChain} does
   */
  public Identity of(X509Certificate[] chain) {
    if (chain == null || chain.length == 0) {
      return Identities.fromPeerChain(chain); // throws: no certificate
    }
    int slot = System.identityHashCode(chain[0]) & (SLOTS - 1);
    Entry e = slots[slot];
    if (e != null && sameObjects(e.chain, chain)) {
      return e.identity;
    }
    Identity id = Identities.fromPeerChain(chain);
    slots[slot] = new Entry(chain.clone(), id);
    return id;
  }

  private static boolean sameObjects(X509Certificate[] a, X509Certificate[] b) {
    if (a.length != b.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i]) {
        return false;
      }
    }
    return true;
  }
}
