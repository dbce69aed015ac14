package io.synergysched.core.telemetry;

/**
 * One moment in a request's life on an engine, independent of transport (the Avro
 * {@code RequestEvent} record mirrors it).
 *
 * @param engineId engine the request is on, never null
 * @param requestId request identifier
 * @param type what happened
 * @param timeMs when, milliseconds (epoch, or virtual in the simulator)
 * @param promptTokens prompt length, tokens
 * @param generatedTokens output tokens generated so far
 * @param cachedTokens prompt tokens served from the prefix cache at the latest admission
 */
public record RequestObservation(
    String engineId,
    long requestId,
    RequestPhase type,
    double timeMs,
    int promptTokens,
    int generatedTokens,
    int cachedTokens) {}
