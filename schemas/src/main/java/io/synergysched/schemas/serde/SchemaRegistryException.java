package io.synergysched.schemas.serde;

/** The schema registry refused a request or could not be reached. */
public class SchemaRegistryException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int httpStatus;
  private final int errorCode;

  public SchemaRegistryException(String message, int httpStatus, int errorCode, Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  /** HTTP status, or -1 when there was no response. */
  public int httpStatus() {
    return httpStatus;
  }

  /** Confluent API error code (e.g. 40403 schema not found), or -1 when absent. */
  public int errorCode() {
    return errorCode;
  }

  /** True when the registry answered that the schema or subject does not exist. */
  public boolean isNotFound() {
    return httpStatus == 404;
  }
}
