package io.synergysched.connector.vllm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synergysched.connector.vllm.VllmConfig.ApiStyle;
import org.junit.jupiter.api.Test;

class StreamChunkTest {

  @Test
  void shouldNotCountTheRoleAnnouncementWhenChatStreamOpens() throws Exception {
    StreamChunk role = StreamChunk.parse(
        "{\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}",
        ApiStyle.CHAT);
    StreamChunk content = StreamChunk.parse(
        "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":\"length\"}]}",
        ApiStyle.CHAT);

    assertThat(role.tokens()).isFalse();
    assertThat(content.tokens()).isTrue();
    assertThat(content.finishReason()).isEqualTo("length");
  }

  @Test
  void shouldReadUsageWhenFinalChunkHasNoChoices() throws Exception {
    StreamChunk usage = StreamChunk.parse(
        "{\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"total_tokens\":17,\"completion_tokens\":5}}",
        ApiStyle.COMPLETIONS);

    assertThat(usage.tokens()).isFalse();
    assertThat(usage.usage()).isEqualTo(new StreamChunk.Usage(12, 5, 0));
  }

  @Test
  void shouldRefuseWhenChunkIsNotAChunk() {
    assertThatThrownBy(() -> StreamChunk.parse("[1,2]", ApiStyle.COMPLETIONS))
        .hasMessageStartingWith("malformed chunk, not a JSON object");
    assertThatThrownBy(() -> StreamChunk.parse("{\"id\":\"x\"}", ApiStyle.COMPLETIONS))
        .hasMessageStartingWith("malformed chunk, no choices array");
    assertThatThrownBy(() -> StreamChunk.parse("{\"choices\":[]}", ApiStyle.COMPLETIONS))
        .hasMessage("malformed chunk, neither choices nor usage");
    assertThatThrownBy(() -> StreamChunk.parse("{\"choices\":[{\"index\":0}]}", ApiStyle.COMPLETIONS))
        .hasMessage("malformed chunk, completion choice without text");
    assertThatThrownBy(() -> StreamChunk.parse(
        "{\"choices\":[],\"usage\":{\"prompt_tokens\":\"12\",\"completion_tokens\":5}}", ApiStyle.COMPLETIONS))
        .hasMessageStartingWith("malformed chunk, bad usage");
  }

  @Test
  void shouldSurfaceServerMessageWhenStreamCarriesAnOlderErrorShape() {
    assertThatThrownBy(() -> StreamChunk.parse(
        "{\"object\":\"error\",\"message\":\"boom\",\"type\":\"BadRequestError\",\"param\":null,\"code\":400}",
        ApiStyle.COMPLETIONS))
        .hasMessage("server error in stream: 400 boom");
  }
}
