package io.synergysched.core.routing.prism;

import io.synergysched.core.setting.Setting;
import io.synergysched.core.setting.Settings;

/**
 * The parameters of {@link ModelForecaster}, the component PRISM's plugins share: set per profile
 * as {@code profile.NAME.prism-forecaster.KEY}, one forecaster per router whichever of its plugins
 * creates it.
 */
public final class ModelForecasterParameters {

  /** How the ledger learns of first tokens and completions. */
  public enum LedgerFeed {
    /** As they happen: a router in the request path, or engines pushing request events. */
    RESPONSE,
    /** The request events, after the same delay as the polled metrics. */
    TELEMETRY
  }

  static final Setting<Integer> TOKEN_BUDGET = Setting.integer("token-budget", 8192, 1, 1 << 20,
      "step token budget assumed for an engine until its step reports show one");
  static final Setting<Double> RATE_WINDOW_MS = Setting.number("rate-window-ms", 5000, 1, 1e9,
      "time constant of the EWMA of the prefill tokens and requests routed per ms to an engine, ms");
  static final Setting<Integer> KV_BLOCK_TOKENS = Setting.integer("kv-block-tokens", 16, 1, 1 << 16,
      "tokens per KV-cache block, for the block demand of a request");
  static final Setting<Double> CALIBRATION_WEIGHT = Setting.number("calibration-weight", 0.05, 0, 1,
      "weight of one observation in the EWMA of log(observed / predicted) wait and TPOT per engine; 0 turns"
          + " the closed-loop calibration off");
  static final Setting<Boolean> REJECT_FEEDBACK = Setting.flag("reject-feedback", true,
      "a request an engine rejects before its first token calibrates the wait forecast as a censored first"
          + " token");
  static final Setting<LedgerFeed> LEDGER_FEED = Setting.choice("ledger-feed", LedgerFeed.class,
      LedgerFeed.RESPONSE, "response: the ledger follows first tokens and completions as they happen;"
          + " telemetry: from the request events at the metrics' delay, progress since estimated by a fluid"
          + " replay");
  static final Setting<Double> INITIAL_OUTPUT_TOKENS = Setting.number("initial-output-tokens", 256, 1, 1e6,
      "output length assumed before any request finished, tokens");

  /** In docs order. */
  public static final Settings ALL = Settings.of(TOKEN_BUDGET, RATE_WINDOW_MS, KV_BLOCK_TOKENS,
      CALIBRATION_WEIGHT, REJECT_FEEDBACK, LEDGER_FEED, INITIAL_OUTPUT_TOKENS);

  private ModelForecasterParameters() {}
}
