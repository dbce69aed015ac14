package io.synergysched.connector.vllm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One {@code data:} payload of an OpenAI-compatible streaming response, as vLLM writes it
 * (vllm/entrypoints/openai/completion/serving.py and chat_completion/serving.py): a
 * {@code text_completion} or {@code chat.completion.chunk} object with {@code choices}, the final
 * usage object (empty {@code choices}, {@code usage} set) when {@code stream_options.include_usage}
 * is on, or an error object written in place of a chunk when generation fails mid-stream.
 *
 * @param tokens true when the chunk carries generated output: any completions choice (vLLM sends
 *     no choice before the first token), or a chat choice other than the role announcement that
 *     opens a chat stream
 * @param finishReason the first choice's {@code finish_reason}, or null
 * @param usage the usage object, or null
 */
record StreamChunk(boolean tokens, String finishReason, Usage usage) {

  /**
   * Token counts from the usage object.
   *
   * @param promptTokens {@code usage.prompt_tokens}
   * @param completionTokens {@code usage.completion_tokens}
   * @param cachedTokens {@code usage.prompt_tokens_details.cached_tokens}, 0 when absent
   */
  record Usage(int promptTokens, int completionTokens, int cachedTokens) {}

  /** A payload that is not a chunk; the message says why, fit for a REJECTED reason. */
  static final class MalformedChunkException extends Exception {
    MalformedChunkException(String message) {
      super(message);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Interprets one event's data (not {@code [DONE]}). */
  static StreamChunk parse(String data, VllmConfig.ApiStyle api) throws MalformedChunkException {
    JsonNode root;
    try {
      root = JSON.readTree(data);
    } catch (JsonProcessingException e) {
      throw new MalformedChunkException("malformed chunk, not JSON: " + abbreviate(data));
    }
    if (root == null || !root.isObject()) {
      throw new MalformedChunkException("malformed chunk, not a JSON object: " + abbreviate(data));
    }
    JsonNode error = root.get("error");
    if (error != null && !error.isNull()) {
      throw new MalformedChunkException("server error in stream: " + errorMessage(error));
    }
    if ("error".equals(root.path("object").asText())) {
      throw new MalformedChunkException("server error in stream: " + errorMessage(root));
    }
    JsonNode choices = root.get("choices");
    if (choices == null || !choices.isArray()) {
      throw new MalformedChunkException("malformed chunk, no choices array: " + abbreviate(data));
    }
    boolean tokens = false;
    String finish = null;
    for (JsonNode choice : choices) {
      if (!choice.isObject()) {
        throw new MalformedChunkException("malformed chunk, choice is not an object");
      }
      tokens |= api == VllmConfig.ApiStyle.CHAT ? chatTokens(choice) : completionTokens(choice);
      JsonNode fr = choice.get("finish_reason");
      if (finish == null && fr != null && fr.isTextual()) {
        finish = fr.asText();
      }
    }
    Usage usage = null;
    JsonNode u = root.get("usage");
    if (u != null && !u.isNull()) {
      if (!u.isObject() || !u.path("prompt_tokens").canConvertToInt()
          || !u.path("completion_tokens").canConvertToInt()
          || !u.path("prompt_tokens").isIntegralNumber()
          || !u.path("completion_tokens").isIntegralNumber()) {
        throw new MalformedChunkException("malformed chunk, bad usage: " + abbreviate(u.toString()));
      }
      JsonNode cached = u.path("prompt_tokens_details").path("cached_tokens");
      usage = new Usage(
          u.get("prompt_tokens").asInt(),
          u.get("completion_tokens").asInt(),
          cached.isIntegralNumber() ? cached.asInt() : 0);
      if (usage.promptTokens() < 0 || usage.completionTokens() < 0 || usage.cachedTokens() < 0) {
        throw new MalformedChunkException("malformed chunk, negative usage: " + u);
      }
    }
    if (choices.isEmpty() && usage == null) {
      throw new MalformedChunkException("malformed chunk, neither choices nor usage");
    }
    if ("error".equals(finish)) {
      throw new MalformedChunkException("server error in stream: finish_reason error");
    }
    return new StreamChunk(tokens, finish, usage);
  }

  private static boolean completionTokens(JsonNode choice) throws MalformedChunkException {
    JsonNode text = choice.get("text");
    if (text == null || !text.isTextual()) {
      throw new MalformedChunkException("malformed chunk, completion choice without text");
    }
    return true;
  }

  private static boolean chatTokens(JsonNode choice) throws MalformedChunkException {
    JsonNode delta = choice.get("delta");
    if (delta == null || !delta.isObject()) {
      throw new MalformedChunkException("malformed chunk, chat choice without delta");
    }
    boolean roleOnly = delta.has("role")
        && delta.path("content").asText("").isEmpty()
        && delta.path("reasoning_content").asText("").isEmpty()
        && delta.path("reasoning").asText("").isEmpty()
        && (delta.path("tool_calls").isMissingNode() || delta.path("tool_calls").isEmpty());
    return !roleOnly;
  }

  private static String errorMessage(JsonNode error) {
    if (error.isTextual()) {
      return abbreviate(error.asText());
    }
    String message = error.path("message").asText("");
    Object code = error.path("code").isMissingNode() ? null : error.path("code").asText();
    return abbreviate((code == null || "null".equals(code) ? "" : code + " ")
        + (message.isEmpty() ? error.toString() : message));
  }

  static String abbreviate(String s) {
    if (s == null) {
      return "";
    }
    String oneLine = s.replace('\n', ' ').replace('\r', ' ');
    return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 197) + "...";
  }
}
