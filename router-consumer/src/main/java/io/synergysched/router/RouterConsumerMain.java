package io.synergysched.router;

import io.synergysched.core.config.ConfigLoader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
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
    Path file = null;
    Map<String, String> overrides = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        file = Path.of(args[++i]);
      } else if (args[i].contains("=")) {
        int eq = args[i].indexOf('=');
        overrides.put(args[i].substring(0, eq), args[i].substring(eq + 1));
      } else {
        System.err.println("usage: router-consumer [--config FILE] [key=value ...]");
        System.exit(2);
      }
    }
    RouterConsumerConfig config;
    try {
      config = RouterConsumerConfig.fromSettings(
          ConfigLoader.load(file, System.getenv(), overrides, RouterConsumerConfig.KEYS));
    } catch (IllegalArgumentException e) {
      System.err.println("router-consumer: bad configuration: " + e.getMessage());
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
