package dev.kes4j.core.internal;

import dev.kes4j.api.KesConfigException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML node that knows its dotted path and line, for configuration errors that name both, and
 * that applies KES's {@code ${VAR}} substitution (spec §7) on request.
 */
public final class ConfigNode {
  private static final Pattern ENV_REF = Pattern.compile("^\\$\\{([^}]*)\\}$");

  private final Node node;
  private final Node keyNode; // the mapping key this node is the value of; null otherwise
  private final String path;
  private final UnaryOperator<String> env;

  private ConfigNode(Node node, String path, UnaryOperator<String> env) {
    this(node, null, path, env);
  }

  private ConfigNode(Node node, Node keyNode, String path, UnaryOperator<String> env) {
    this.node = node;
    this.keyNode = keyNode;
    this.path = path;
    this.env = env;
  }

  /**
   * Parses YAML text into its root node.
   *
   * @param env looks up environment variables; returns null for a missing one
   * @throws KesConfigException for malformed YAML, naming the line
   */
  public static ConfigNode parse(String yaml, UnaryOperator<String> env) {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(20);
    options.setCodePointLimit(1 << 20);
    try {
      Node root = new Yaml(new SafeConstructor(options)).compose(new StringReader(yaml));
      ConfigNode node = new ConfigNode(root, "", env);
      node.checkStructure(new java.util.IdentityHashMap<>());
      return node;
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      throw new KesConfigException("invalid YAML in line " + line + ": " + e.getProblem());
    } catch (YAMLException e) {
      throw new KesConfigException("invalid YAML: " + e.getMessage());
    }
  }

  /** Rejects duplicate keys and recursive aliases ({@code a: &a [*a]}) once, up front. */
  private void checkStructure(Map<Node, Boolean> onPath) {
    if (!(node instanceof MappingNode) && !(node instanceof SequenceNode)) {
      return;
    }
    if (onPath.put(node, Boolean.TRUE) != null) {
      throw error("recursive YAML alias");
    }
    if (node instanceof MappingNode) {
      for (ConfigNode child : mapping().values()) {
        child.checkStructure(onPath);
      }
    } else {
      for (ConfigNode child : items()) {
        child.checkStructure(onPath);
      }
    }
    onPath.remove(node);
  }

  /** The dotted path of this node ({@code policy.minio.allow}); empty for the root. */
  public String path() {
    return path;
  }

  /** The 1-based line of this node, or 0 if unknown. */
  public int line() {
    return node == null || node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
  }

  /**
   * Where this setting is written, {@code line N, column M} (1-based): the position of its key when
   * it is a mapping value, else of the node; {@code line N} or empty when unknown.
   */
  public String position() {
    Node at = keyNode != null ? keyNode : node;
    if (at == null || at.getStartMark() == null) {
      return "";
    }
    return "line "
        + (at.getStartMark().getLine() + 1)
        + ", column "
        + (at.getStartMark().getColumn() + 1);
  }

  /** The name of this setting: the last segment of its path (the mapping key). */
  public String name() {
    if (keyNode instanceof ScalarNode k) {
      return k.getValue();
    }
    int dot = path.lastIndexOf('.');
    return dot < 0 ? path : path.substring(dot + 1);
  }

  /** An error naming this node's path, line and column (for a setting: where its key is). */
  public KesConfigException errorAt(String message) {
    String where = path.isEmpty() ? "config" : path;
    String at = position();
    return new KesConfigException(where + (at.isEmpty() ? "" : " (" + at + ")") + ": " + message);
  }

  /** Whether the node is absent, empty or YAML null. */
  public boolean isNull() {
    return node == null
        || node.getTag().equals(Tag.NULL)
        || (node instanceof ScalarNode s && s.getValue().isEmpty());
  }

  /** Whether the node is a mapping. */
  public boolean isMapping() {
    return node instanceof MappingNode;
  }

  /** An error naming this node's path and line. */
  public KesConfigException error(String message) {
    String where = path.isEmpty() ? "config" : path;
    int line = line();
    return new KesConfigException(
        where + (line > 0 ? " (line " + line + ")" : "") + ": " + message);
  }

  /** The keys of a mapping, in order; empty for null. */
  public Set<String> keys() {
    return mapping().keySet();
  }

  /** The child under {@code key}; empty if absent. */
  public Optional<ConfigNode> get(String key) {
    return Optional.ofNullable(mapping().get(key));
  }

  /** The child under {@code key}, or a null node at its path if absent. */
  public ConfigNode child(String key) {
    return get(key).orElseGet(() -> new ConfigNode(null, join(key), env));
  }

  /** The entries of a mapping (null reads as empty). */
  public Map<String, ConfigNode> mapping() {
    if (isNull()) {
      return Map.of();
    }
    if (!(node instanceof MappingNode m)) {
      throw error("expected a mapping");
    }
    Map<String, ConfigNode> out = new LinkedHashMap<>();
    for (NodeTuple t : m.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode k)) {
        throw new ConfigNode(t.getKeyNode(), path, env).error("mapping keys must be scalars");
      }
      ConfigNode value = new ConfigNode(t.getValueNode(), k, join(k.getValue()), env);
      if (out.put(k.getValue(), value) != null) {
        throw value.error("duplicate key '" + k.getValue() + "'");
      }
    }
    return out;
  }

  /** The items of a sequence (null reads as empty; a single scalar as a list of one). */
  public List<ConfigNode> items() {
    if (isNull()) {
      return List.of();
    }
    if (node instanceof ScalarNode) {
      return List.of(this);
    }
    if (!(node instanceof SequenceNode s)) {
      throw error("expected a list");
    }
    List<ConfigNode> out = new ArrayList<>();
    List<Node> value = s.getValue();
    for (int i = 0; i < value.size(); i++) {
      out.add(new ConfigNode(value.get(i), path + "[" + i + "]", env));
    }
    return out;
  }

  /** The scalar text exactly as written (no substitution); empty for null. */
  public String raw() {
    if (isNull()) {
      return "";
    }
    if (!(node instanceof ScalarNode s)) {
      throw error("expected a single value");
    }
    return s.getValue();
  }

  /**
   * The scalar text with {@code ${VAR}} substitution: only when the whole trimmed value has that
   * form (spec §7).
   *
   * @throws KesConfigException {@code referenced env. variable 'X' in line 'N' not found}
   */
  public String text() {
    String raw = raw();
    Matcher m = ENV_REF.matcher(raw.trim());
    if (!m.matches()) {
      return raw;
    }
    String name = m.group(1);
    String value = env.apply(name);
    if (value == null) {
      throw new KesConfigException(
          (path.isEmpty() ? "config" : path)
              + ": referenced env. variable '"
              + name
              + "' in line '"
              + line()
              + "' not found");
    }
    return value;
  }

  /** This subtree as plain maps, lists and substituted strings (for key store sections). */
  public Object toPlain() {
    if (isNull()) {
      return null;
    }
    if (node instanceof MappingNode) {
      Map<String, Object> out = new LinkedHashMap<>();
      mapping().forEach((k, v) -> out.put(k, v.toPlain()));
      return out;
    }
    if (node instanceof SequenceNode) {
      List<Object> out = new ArrayList<>();
      for (ConfigNode item : items()) {
        out.add(item.toPlain());
      }
      return out;
    }
    return text();
  }

  /**
   * Reports keys of this mapping that are not in {@code known}. A near miss of a known key ({@link
   * Suggest}: {@code adress}, {@code alow}, {@code projectid}) is always an error naming line,
   * column and the key meant; any other unknown key is a warning, or an error in strict mode.
   *
   * @throws KesConfigException for a near miss, or for any unknown key when {@code strict}
   */
  public void checkKnown(Set<String> known, boolean strict, List<String> warnings) {
    for (Map.Entry<String, ConfigNode> e : mapping().entrySet()) {
      if (!known.contains(e.getKey())) {
        Optional<String> meant = Suggest.nearest(e.getKey(), known);
        if (meant.isPresent()) {
          throw e.getValue()
              .errorAt(
                  "unknown setting '" + e.getKey() + "' — did you mean '" + meant.get() + "'?");
        }
        KesConfigException problem = e.getValue().error("unknown setting '" + e.getKey() + "'");
        if (strict) {
          throw problem;
        }
        warnings.add(problem.getMessage());
      }
    }
  }

  private String join(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }
}
