package io.synergysched.testsupport;

import io.synergysched.embedded.ApicurioRegistryServer;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Supplies a real schema registry (Apicurio Registry, Confluent-compatible API) to tests. It is
 * started once per test run, on first use, and stopped when the run ends. When it cannot be
 * started, the tests that asked for it fail with the reason: they are never skipped.
 *
 * <pre>{@code
 * @ExtendWith(SchemaRegistryExtension.class)
 * class MyIT {
 *   @Test
 *   void shouldRoundTrip(ApicurioRegistryServer registry) {
 *     String url = registry.confluentApiUrl();
 * }</pre>
 */
public final class SchemaRegistryExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SchemaRegistryExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == ApicurioRegistryServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return registry(context);
  }

  /** The run's registry, started on first call; the JUnit root store closes it at the end. */
  public static ApicurioRegistryServer registry(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            "server",
            key -> ApicurioRegistryServer.start(logDir()),
            ApicurioRegistryServer.class);
  }

  private static Path logDir() {
    return Path.of(System.getProperty("synergy.test.log.dir", System.getProperty("java.io.tmpdir")));
  }
}
