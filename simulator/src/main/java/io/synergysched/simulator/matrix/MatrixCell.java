package io.synergysched.simulator.matrix;

/**
 * One cell of the matrix: a trace on a cluster at one SLO level and one arrival process.
 *
 * @param set the split the cell belongs to ({@code tuning} or {@code held-out} in the shipped
 *     matrix)
 * @param arrival {@code own} (the trace's arrivals) or {@code bursty} (re-timed by the MMPP)
 */
public record MatrixCell(String set, String trace, String cluster, String slo, String arrival) {

  /** {@code trace/cluster/slo/arrival}, the cell's name in the reports. */
  public String id() {
    return trace + "/" + cluster + "/" + slo + "/" + arrival;
  }
}
