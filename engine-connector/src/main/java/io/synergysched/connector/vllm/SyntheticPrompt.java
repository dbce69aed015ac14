package io.synergysched.connector.vllm;

import io.synergysched.schemas.InferenceRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Makes a prompt of a request's length. Traces carry lengths and prefix-block hashes, not text,
 * so the content is synthetic but deterministic: the same request always gets the same prompt,
 * and two requests whose leading prefix blocks have the same hash get the same leading tokens, so
 * vLLM's prefix cache hits where the trace says the real prompts shared a prefix.
 *
 * <p>Token k of prefix block b (b &lt; the request's hash count, the block fully inside the
 * prompt) is drawn from a {@link SplittableRandom} seeded with the block's hash; tokens after the
 * last such block are drawn from one seeded with a 64-bit FNV-1a hash of the request id. Token
 * ids are uniform in [{@code idMin}, {@code idMax}). In text form each token id picks a word from
 * a fixed list of short common English words, which Llama and GPT BPE vocabularies encode as one
 * token each (after a space), so the text is about the requested length; the chat template adds
 * its own few tokens. Thread-safe.
 */
public final class SyntheticPrompt {

  private static final String[] WORDS = {
    "the", "of", "and", "to", "in", "is", "that", "for", "it", "as", "was", "with", "be", "by",
    "on", "not", "he", "this", "are", "or", "his", "from", "at", "which", "but", "have", "an",
    "had", "they", "you", "were", "their", "one", "all", "we", "can", "her", "has", "there",
    "been", "if", "more", "when", "will", "would", "who", "so", "no", "time", "over", "new",
    "some", "could", "these", "two", "may", "first", "then", "do", "any", "like", "my", "now",
    "into"
  };

  private final int idMin;
  private final int idMax;

  public SyntheticPrompt(int idMin, int idMax) {
    if (idMin < 0 || idMax <= idMin) {
      throw new IllegalArgumentException("need 0 <= idMin < idMax, got " + idMin + ", " + idMax);
    }
    this.idMin = idMin;
    this.idMax = idMax;
  }

  /** Exactly {@code request.promptTokens} token ids. */
  public int[] tokenIds(InferenceRequest request) {
    int length = request.getPromptTokens();
    int[] ids = new int[Math.max(0, length)];
    int blockSize = Math.max(1, request.getPrefixBlockSizeTokens());
    List<Long> hashes = request.getPrefixBlockHashes();
    int pos = 0;
    for (int b = 0; hashes != null && b < hashes.size() && pos + blockSize <= length; b++) {
      SplittableRandom block = new SplittableRandom(hashes.get(b));
      for (int k = 0; k < blockSize; k++) {
        ids[pos++] = block.nextInt(idMin, idMax);
      }
    }
    SplittableRandom tail = new SplittableRandom(fnv1a64(request.getRequestId()));
    while (pos < length) {
      ids[pos++] = tail.nextInt(idMin, idMax);
    }
    return ids;
  }

  /** About {@code request.promptTokens} tokens of text: one word per synthetic token id. */
  public String text(InferenceRequest request) {
    int[] ids = tokenIds(request);
    StringBuilder sb = new StringBuilder(ids.length * 5);
    for (int i = 0; i < ids.length; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(WORDS[Math.floorMod(ids[i], WORDS.length)]);
    }
    return sb.toString();
  }

  static long fnv1a64(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= (b & 0xff);
      h *= 0x100000001b3L;
    }
    return h;
  }
}
