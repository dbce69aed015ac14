package io.synergysched.simulator.profile;

/**
 * How profiles are turned into step times.
 *
 * @param monotone fit measured medians to be non-decreasing along every axis (see
 *     {@link MonotoneFit}); off reproduces each grid point exactly, noise included
 * @param cpuOverhead add Vidur's per-step CPU overhead by batch size (off by default, as in Vidur;
 *     only models present in {@code cpu_overheads.csv} have one)
 */
public record ProfileOptions(boolean monotone, boolean cpuOverhead) {

  public static final ProfileOptions DEFAULT = new ProfileOptions(true, false);
}
