package dev.kes4j.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.http.internal.IdentityCache;
import dev.kes4j.policy.Identities;
import dev.kes4j.policy.PeerChainException;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;

class IdentityCacheTest {
  private final IdentityCache cache = new IdentityCache();

  @Test
  void aChainSeenAgainHasTheIdentityOfItsLeaf() {
    X509Certificate leaf = TestCerts.selfSigned("app", true).certificate();
    X509Certificate[] chain = {leaf};
    assertThat(cache.of(chain)).isEqualTo(Identities.fromPeerChain(chain));
    assertThat(cache.of(chain.clone())).isEqualTo(Identities.fromPeerChain(chain));
  }

  @Test
  void anotherLeafOnTheSameSlotIsNeverAnsweredWithTheFirstOnesIdentity() {
    // 300 distinct leaves over 256 slots: collisions are certain; each answer must be its own
    X509Certificate[] leaves = new X509Certificate[300];
    for (int i = 0; i < leaves.length; i++) {
      leaves[i] = TestCerts.selfSigned("c" + i, i % 2 == 0).certificate();
      cache.of(new X509Certificate[] {leaves[i]});
    }
    for (X509Certificate leaf : leaves) {
      assertThat(cache.of(new X509Certificate[] {leaf}))
          .isEqualTo(Identities.fromPeerChain(new X509Certificate[] {leaf}));
    }
  }

  @Test
  void theSameLeafObjectInALongerChainIsCheckedAgain() {
    X509Certificate leaf = TestCerts.selfSigned("app", true).certificate();
    X509Certificate otherLeaf = TestCerts.selfSigned("other", true).certificate();
    cache.of(new X509Certificate[] {leaf});
    assertThatThrownBy(() -> cache.of(new X509Certificate[] {leaf, otherLeaf}))
        .isInstanceOf(PeerChainException.class)
        .hasMessage(Identities.MORE_THAN_ONE_CERTIFICATE);
  }

  @Test
  void aRejectedChainIsRejectedEveryTime() {
    X509Certificate[] caFirst = {TestCerts.caOnly("ca").certificate()};
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> cache.of(caFirst))
          .isInstanceOf(PeerChainException.class)
          .hasMessage(Identities.CLIENT_CERTIFICATE_REQUIRED);
    }
    assertThatThrownBy(() -> cache.of(new X509Certificate[0]))
        .isInstanceOf(PeerChainException.class);
    assertThatThrownBy(() -> cache.of(null)).isInstanceOf(PeerChainException.class);
  }

  @Test
  void anEqualCertificateParsedAgainHasTheSameIdentity() throws Exception {
    // (the JDK's CertificateFactory may even hand back the same object: its own cache)
    X509Certificate leaf = TestCerts.selfSigned("app", false).certificate();
    X509Certificate reparsed =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(leaf.getEncoded()));
    assertThat(cache.of(new X509Certificate[] {reparsed}))
        .isEqualTo(cache.of(new X509Certificate[] {leaf}));
  }
}
