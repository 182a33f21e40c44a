/** A `Metrics` that keeps its counts, so a test can see what a run counted for the alarms. */
import type { MetricName, Metrics } from '../../functions/metrics';

export function countingMetrics(): Metrics & { counts: Partial<Record<MetricName, number>> } {
  const counts: Partial<Record<MetricName, number>> = {};
  return {
    counts,
    count: (name, value = 1) => {
      counts[name] = (counts[name] ?? 0) + value;
    },
  };
}
