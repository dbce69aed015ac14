package io.synergysched.connector;

import io.synergysched.connector.vllm.VllmBackend;
import io.synergysched.connector.vllm.VllmConfig;
import io.synergysched.runtime.config.ConfigLoader;
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
    EngineConnectorConfig config;
    List<EngineBackend> vllm = List.of();
    try {
      Map<String, String> settings = ConfigLoader.fromCommandLine(
          args, System.getenv(), EngineConnectorConfig.ALL_SETTINGS.keys());
      config = EngineConnectorConfig.fromSettings(settings);
      if (config.backend().equals("vllm")) {
        vllm = List.of(new VllmBackend(VllmConfig.fromProperties(settings)));
      }
    } catch (IllegalArgumentException e) {
      System.err.println("engine-connector: " + e.getMessage());
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
