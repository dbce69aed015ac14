package io.synergysched.core.model.layerfixture;

import io.synergysched.core.routing.Router;

/** A deliberate violation for CoreLayersTest: a class in the model layer that uses a router. */
public final class ModelThatRoutes {

  private ModelThatRoutes() {}

  public static String routerName(Router router) {
    return router.name();
  }
}
