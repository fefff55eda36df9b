package dev.kes4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kes4j.api.KesConfigException;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class ConfigNodeTest {

  private static ConfigNode parse(String yaml, Map<String, String> env) {
    return ConfigNode.parse(yaml, env::get);
  }

  @Test
  void substitutesWholeScalarOnly() {
    ConfigNode root =
        parse("a: ${X}\nb: ' ${X} '\nc: pre-${X}\nd: ${X}${X}\n", Map.of("X", "value"));
    assertThat(root.child("a").text()).isEqualTo("value");
    assertThat(root.child("b").text()).isEqualTo("value"); // trimmed scalar has the form
    assertThat(root.child("c").text()).isEqualTo("pre-${X}");
    assertThat(root.child("d").text()).isEqualTo("${X}${X}");
  }

  @Test
  void missingVariableNamesItAndTheLine() {
    ConfigNode root = parse("a: 1\nb:\n  c: ${MISSING}\n", Map.of());
    assertThatThrownBy(() -> root.child("b").child("c").text())
        .isInstanceOf(KesConfigException.class)
        .hasMessage("b.c: referenced env. variable 'MISSING' in line '3' not found");
  }

  @Test
  void rawNeverSubstitutes() {
    ConfigNode root = parse("a: ${X}\n", Map.of("X", "value"));
    assertThat(root.child("a").raw()).isEqualTo("${X}");
  }

  @Test
  void malformedYamlNamesTheLine() {
    assertThatThrownBy(() -> parse("a: b\n  c: [\n", Map.of()))
        .isInstanceOf(KesConfigException.class)
        .hasMessageContaining("line");
  }

  @Test
  void duplicateKeysAreRejected() {
    assertThatThrownBy(() -> parse("a: 1\na: 2\n", Map.of()))
        .isInstanceOf(KesConfigException.class);
  }

  @Test
  void recursiveAliasesAreRejected() { // found by InputFuzzTest: used to overflow the stack
    assertThatThrownBy(() -> parse("a: &a [*a, *a]\n", Map.of()))
        .isInstanceOf(KesConfigException.class)
        .hasMessageContaining("recursive YAML alias");
  }

  @Test
  void sharedButAcyclicAliasesAreFine() {
    ConfigNode root = parse("x: &x [1, 2]\ny: *x\n", Map.of());
    assertThat(root.child("y").items()).hasSize(2);
  }

  @Test
  void errorsNamePathAndLine() {
    ConfigNode root = parse("x:\n  y:\n    - a\n    - b\n", Map.of());
    assertThat(root.child("x").child("y").items().get(1).error("bad").getMessage())
        .isEqualTo("x.y[1] (line 4): bad");
  }

  @Property(tries = 200)
  void anyDefinedVariableIsSubstitutedVerbatim(
      @ForAll @AlphaChars @StringLength(min = 1, max = 12) String name,
      @ForAll @AlphaChars @StringLength(max = 20) String value) {
    ConfigNode root = parse("k: ${" + name + "}\n", Map.of(name, value));
    assertThat(root.child("k").text()).isEqualTo(value);
  }

  @Property(tries = 200)
  void textWithoutReferenceIsUntouched(
      @ForAll @AlphaChars @StringLength(min = 1, max = 20) String v) {
    ConfigNode root = parse("k: \"" + v + "\"\n", Map.of());
    assertThat(root.child("k").text()).isEqualTo(v);
  }
}
