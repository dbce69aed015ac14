package io.synergysched.core.routing.admission;

import io.synergysched.core.routing.AdmissionRule;
import io.synergysched.core.setting.Settings;

/**
 * Admits every request ({@code admission = none}): a filter that leaves no candidate is skipped
 * for that request, so the request is placed among the candidates before it. What vLLM's router,
 * llm-d's default profile and the other state-only baselines do.
 */
public final class AdmitAllRule implements AdmissionRule {

  public static final String TYPE = "none";

  public static final Settings PARAMETERS = Settings.of();

  @Override
  public String type() {
    return TYPE;
  }
}
