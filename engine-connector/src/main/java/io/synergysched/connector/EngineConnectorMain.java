package io.synergysched.connector;

import io.synergysched.connector.vllm.VllmBackend;
import io.synergysched.connector.vllm.VllmConfig;
import io.synergysched.core.config.ConfigLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs an engine-connector until it is stopped (SIGTERM or Ctrl-C).
 *
 * <pre>
 * engine-connector [--config FILE] [key=value ...]
 * </pre>
 *
 * Settings come from the file, then {@code SYNERGY_*} environment variables, then the arguments;
 * see {@link EngineConnectorConfig} for the keys; with {@code synergy.engines.backend=vllm} it
 * bridges one vLLM server configured by the {@code synergy.vllm.*} keys of {@link VllmConfig}.
 */
public final class EngineConnectorMain {

  private EngineConnectorMain() {}

  public static void main(String[] args) throws InterruptedException {
    Path file = null;
    Map<String, String> overrides = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        file = Path.of(args[++i]);
      } else if (args[i].contains("=")) {
        int eq = args[i].indexOf('=');
        overrides.put(args[i].substring(0, eq), args[i].substring(eq + 1));
      } else {
        System.err.println("usage: engine-connector [--config FILE] [key=value ...]");
        System.exit(2);
      }
    }
    EngineConnectorConfig config;
    List<EngineBackend> vllm = List.of();
    try {
      List<String> keys = new ArrayList<>(EngineConnectorConfig.KEYS);
      keys.addAll(VllmConfig.KEYS);
      Map<String, String> settings = ConfigLoader.load(file, System.getenv(), overrides, keys);
      config = EngineConnectorConfig.fromSettings(settings);
      if (config.backend().equals("vllm")) {
        vllm = List.of(new VllmBackend(VllmConfig.fromProperties(settings)));
      }
    } catch (IllegalArgumentException e) {
      System.err.println("engine-connector: bad configuration: " + e.getMessage());
      System.exit(2);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    EngineConnector connector =
        vllm.isEmpty() ? EngineConnector.start(config) : EngineConnector.start(config, vllm);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      connector.close();
      stopped.countDown();
    }, "engine-connector-stop"));
    stopped.await();
  }
}
