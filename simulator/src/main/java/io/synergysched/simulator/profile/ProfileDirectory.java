package io.synergysched.simulator.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.synergysched.simulator.SharedDataLocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A profile folder in Vidur's layout, so users add a GPU or model by dropping files in:
 *
 * <pre>
 * compute/GPU/ORG/MODEL/mlp.csv            linear ops by total tokens (required)
 * compute/GPU/ORG/MODEL/attention.csv      attention kernels (optional; measured, used as is)
 * legacy_a100_attention/attention.csv      reference attention, scaled when the above is missing
 * network/GPU_pairwise_nvlink|GPU_dgx/all_reduce.csv   all-reduce by message size (TP &gt; 1)
 * legacy_a100_cpu_overheads/cpu_overheads.csv           optional CPU overhead per step
 * configs/device_configs/GPU.yml           fp16_tflops, total_memory_gb, num_devices_per_node
 *                                          [, memory_bandwidth_gbps]
 * configs/model_configs/ORG/MODEL.yml      num_layers, num_q_heads, num_kv_heads, embedding_dim, ...
 * </pre>
 *
 * Models are addressed by a short name: the config file's name in lower case without a
 * {@code -hf} suffix or {@code meta-} prefix ({@code Meta-Llama-3-8B} is {@code llama-3-8b}).
 */
public final class ProfileDirectory {

  /** Datasheet HBM bandwidth (SXM parts), GB/s, for device YAMLs that do not state it. */
  private static final Map<String, Double> KNOWN_BANDWIDTH_GBPS =
      Map.of("a100", 2039.0, "h100", 3352.0, "a40", 696.0, "l40s", 864.0, "h200", 4800.0);

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final Path root;

  public ProfileDirectory(Path root) {
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException("profile directory does not exist: " + root);
    }
    this.root = root.toAbsolutePath().normalize();
  }

  /** {@code ../shared/data/profiles/vidur}, found from the working directory. */
  public static ProfileDirectory shared() {
    return new ProfileDirectory(SharedDataLocator.vidurProfiles());
  }

  public Path root() {
    return root;
  }

  public DeviceSpec device(String gpu) {
    Path file = root.resolve("configs/device_configs/" + gpu + ".yml");
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("unknown gpu '" + gpu + "': no " + file);
    }
    JsonNode node = readYaml(file);
    double bandwidth = node.has("memory_bandwidth_gbps")
        ? node.get("memory_bandwidth_gbps").asDouble()
        : KNOWN_BANDWIDTH_GBPS.getOrDefault(gpu, Double.NaN);
    if (Double.isNaN(bandwidth)) {
      throw new IllegalArgumentException(
          file + ": memory_bandwidth_gbps missing (needed to scale attention to this device)");
    }
    return new DeviceSpec(
        gpu,
        required(node, "fp16_tflops", file).asDouble(),
        required(node, "total_memory_gb", file).asDouble(),
        node.path("num_devices_per_node").asInt(1),
        bandwidth);
  }

  public ModelSpec model(String shortName) {
    Path configs = root.resolve("configs/model_configs");
    List<Path> matches = new ArrayList<>();
    List<String> known = new ArrayList<>();
    try (Stream<Path> files = Files.walk(configs)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String fileName = file.getFileName().toString();
        if (fileName.endsWith(".yml")) {
          String stem = fileName.substring(0, fileName.length() - 4);
          known.add(shortName(stem));
          if (shortName(stem).equals(shortName)) {
            matches.add(file);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + configs, e);
    }
    if (matches.size() != 1) {
      throw new IllegalArgumentException(
          "unknown model '" + shortName + "' in " + configs + "; known: " + known.stream().sorted().toList());
    }
    Path file = matches.get(0);
    String profileName = configs.relativize(file).toString().replace('\\', '/');
    profileName = profileName.substring(0, profileName.length() - 4);
    JsonNode node = readYaml(file);
    return new ModelSpec(
        shortName,
        profileName,
        required(node, "num_layers", file).asInt(),
        required(node, "num_q_heads", file).asInt(),
        required(node, "num_kv_heads", file).asInt(),
        required(node, "embedding_dim", file).asInt(),
        required(node, "mlp_hidden_dim", file).asInt(),
        node.path("vocab_size").asInt(32000),
        node.path("max_position_embeddings").asInt(4096),
        node.path("use_gated_mlp").asBoolean(true));
  }

  static String shortName(String stem) {
    String name = stem.toLowerCase(Locale.ROOT);
    if (name.endsWith("-hf")) {
      name = name.substring(0, name.length() - 3);
    }
    if (name.startsWith("meta-")) {
      name = name.substring(5);
    }
    return name;
  }

  Path mlpFile(String gpu, ModelSpec model) {
    Path file = root.resolve("compute").resolve(gpu).resolve(model.profileName()).resolve("mlp.csv");
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "no linear-op profile for " + gpu + ":" + model.name() + " (expected " + file + ")");
    }
    return file;
  }

  /** The model's own attention profile when present, else null. */
  Path measuredAttentionFile(String gpu, ModelSpec model) {
    Path file =
        root.resolve("compute").resolve(gpu).resolve(model.profileName()).resolve("attention.csv");
    return Files.isRegularFile(file) ? file : null;
  }

  Path referenceAttentionFile() {
    Path file = root.resolve("legacy_a100_attention/attention.csv");
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no attention profile: expected " + file);
    }
    return file;
  }

  /** The device the reference attention file was measured on. */
  String referenceAttentionDevice() {
    return "a100";
  }

  /** Candidate all-reduce files for a device, preferred first. */
  List<Path> allReduceFiles(String gpu) {
    List<Path> files = new ArrayList<>();
    for (String node : List.of("_pairwise_nvlink", "_dgx")) {
      Path file = root.resolve("network").resolve(gpu + node).resolve("all_reduce.csv");
      if (Files.isRegularFile(file)) {
        files.add(file);
      }
    }
    return files;
  }

  Path cpuOverheadFile() {
    return root.resolve("legacy_a100_cpu_overheads/cpu_overheads.csv");
  }

  private static JsonNode readYaml(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static JsonNode required(JsonNode node, String key, Path file) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException(file + ": missing key '" + key + "'");
    }
    return value;
  }
}
