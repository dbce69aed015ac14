package io.synergysched.connector.vllm;

/**
 * Assembles Server-Sent Events from lines, per the WHATWG event-stream rules: {@code data:} lines
 * accumulate (joined by a newline, one leading space stripped), a blank line dispatches the event,
 * lines starting with {@code :} are comments (keep-alives), and {@code event}, {@code id},
 * {@code retry} and unknown fields are ignored. An event larger than {@link #MAX_EVENT_CHARS} is
 * refused, so a broken server cannot make the connector buffer without bound. Not thread-safe
 * (one per stream; the HTTP client delivers a stream's lines one at a time).
 */
final class SseEventAssembler {

  static final int MAX_EVENT_CHARS = 4 * 1024 * 1024;

  private final StringBuilder data = new StringBuilder();
  private boolean hasData;

  /**
   * Feeds one line without its terminator.
   *
   * @return the event's data when this line dispatches one, else null
   * @throws IllegalStateException when the event grows beyond {@link #MAX_EVENT_CHARS}
   */
  String accept(String line) {
    if (line.isEmpty()) {
      if (!hasData) {
        return null;
      }
      String event = data.toString();
      data.setLength(0);
      hasData = false;
      return event;
    }
    if (line.charAt(0) == ':') {
      return null;
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    if (!field.equals("data")) {
      return null;
    }
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    if (hasData) {
      data.append('\n');
    }
    data.append(value);
    hasData = true;
    if (data.length() > MAX_EVENT_CHARS) {
      throw new IllegalStateException("event exceeds " + MAX_EVENT_CHARS + " characters");
    }
    return null;
  }

  /** Data of an event the stream ended in the middle of (no closing blank line), or null. */
  String undispatched() {
    return hasData ? data.toString() : null;
  }
}
