package io.synergysched.runtime.query;

/** The stores cannot answer now (the instance is starting or rebalancing); try again shortly. */
public class QueryNotReadyException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public QueryNotReadyException(String message, Throwable cause) {
    super(message, cause);
  }
}
