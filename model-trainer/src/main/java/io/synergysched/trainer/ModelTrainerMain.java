package io.synergysched.trainer;

import io.synergysched.core.config.ConfigLoader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a model-trainer until it is stopped (SIGTERM or Ctrl-C).
 *
 * <pre>
 * model-trainer [--config FILE] [key=value ...]
 * </pre>
 *
 * Settings come from the file, then {@code SYNERGY_*} environment variables, then the key=value
 * arguments; see {@link ModelTrainerConfig} for the keys.
 */
public final class ModelTrainerMain {

  private ModelTrainerMain() {}

  public static void main(String[] args) throws Exception {
    Path file = null;
    Map<String, String> overrides = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        file = Path.of(args[++i]);
      } else if (args[i].contains("=")) {
        overrides.put(args[i].substring(0, args[i].indexOf('=')), args[i].substring(args[i].indexOf('=') + 1));
      } else {
        System.err.println("usage: model-trainer [--config FILE] [key=value ...]");
        System.exit(2);
      }
    }
    ModelTrainerConfig config;
    try {
      config =
          ModelTrainerConfig.fromSettings(
              ConfigLoader.load(file, System.getenv(), overrides, ModelTrainerConfig.KEYS));
    } catch (IllegalArgumentException e) {
      System.err.println("model-trainer: bad configuration: " + e.getMessage());
      System.exit(2);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    ModelTrainer trainer = ModelTrainer.start(config);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  trainer.close();
                  stopped.countDown();
                },
                "model-trainer-stop"));
    stopped.await();
  }
}
