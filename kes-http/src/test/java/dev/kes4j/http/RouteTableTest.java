package dev.kes4j.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kes4j.api.ApiPath;
import dev.kes4j.core.Kes;
import dev.kes4j.keystore.mem.MemKeyStore;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The one route table: every KES path once, in ApiPath order, and what mayBlock reads from it. */
class RouteTableTest {
  final Kes kes = Kes.builder().keyStore(new MemKeyStore()).build();
  final KesHttpApi api = KesHttpApi.builder(kes).build();

  @AfterEach
  void tearDown() {
    api.close();
    kes.close();
  }

  @Test
  void everyApiPathIsRoutedOnceInOrder() {
    List<String> routed = api.routes().stream().map(r -> r.method() + " " + r.path()).toList();
    List<String> declared = Arrays.stream(ApiPath.values()).map(ApiPath::toString).toList();
    assertThat(routed).containsExactlyElementsOf(declared);
    for (ApiPath p : ApiPath.values()) {
      String path = p.takesResource() ? p.of("x") : p.path();
      assertThat(api.route(path))
          .as(path)
          .hasValueSatisfying(r -> assertThat(r.path()).isEqualTo(p.path()));
    }
  }

  @Test
  void mayBlockFollowsTheTable() {
    assertThat(mayBlock(ApiPath.VERSION.path())).isFalse();
    assertThat(mayBlock(ApiPath.POLICY_LIST.of("*"))).isFalse();
    assertThat(mayBlock(ApiPath.STATUS.path())).isTrue();
    assertThat(mayBlock(ApiPath.KEY_CREATE.of("k"))).isTrue();
    assertThat(mayBlock(ApiPath.LOG_AUDIT.path())).isTrue();
    assertThat(mayBlock("/no/such/route")).isFalse();
    // single-key crypto blocks only until the engine has the key cached
    kes.createKey("k");
    kes.generateKey("k", new byte[0]);
    assertThat(mayBlock(ApiPath.KEY_GENERATE.of("k"))).isFalse();
    assertThat(mayBlock(ApiPath.KEY_GENERATE.of("other"))).isTrue();
    assertThat(mayBlock(ApiPath.KEY_BULK_DECRYPT.of("k"))).isTrue();
  }

  private boolean mayBlock(String path) {
    return api.mayBlock(ApiRequest.builder("GET", path).build());
  }
}
