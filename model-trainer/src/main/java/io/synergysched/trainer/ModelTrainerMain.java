package io.synergysched.trainer;

import io.synergysched.runtime.config.ConfigLoader;
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
    ModelTrainerConfig config;
    try {
      config = ModelTrainerConfig.fromSettings(
          ConfigLoader.fromCommandLine(args, System.getenv(), ModelTrainerConfig.ALL_SETTINGS.keys()));
    } catch (IllegalArgumentException e) {
      System.err.println("model-trainer: " + e.getMessage());
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
