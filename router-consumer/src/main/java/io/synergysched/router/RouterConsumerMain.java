package io.synergysched.router;

import io.synergysched.runtime.config.ConfigLoader;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a router-consumer until it is stopped (SIGTERM or Ctrl-C).
 *
 * <pre>
 * router-consumer [--config FILE] [key=value ...]
 * </pre>
 *
 * Settings come from the file, then {@code SYNERGY_*} environment variables, then the arguments;
 * see {@link RouterConsumerConfig} for the keys.
 */
public final class RouterConsumerMain {

  private RouterConsumerMain() {}

  public static void main(String[] args) throws Exception {
    RouterConsumerConfig config;
    try {
      config = RouterConsumerConfig.fromSettings(
          ConfigLoader.fromCommandLine(args, System.getenv(), RouterConsumerConfig.ALL_SETTINGS.keys()));
    } catch (IllegalArgumentException e) {
      System.err.println("router-consumer: " + e.getMessage());
      System.exit(2);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    RouterConsumer router = RouterConsumer.start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      router.close();
      stopped.countDown();
    }, "router-consumer-stop"));
    stopped.await();
  }
}
