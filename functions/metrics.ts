/**
 * Counts of what failed, and the scan's heartbeat, for the alarms (docs/operations.md). They are
 * written in CloudWatch's embedded metric format (EMF): a JSON line on stdout that CloudWatch Logs
 * turns into metrics. No API call, so no IAM permission.
 *
 * The code counts through the `Metrics` port it is given. Only the Lambda entry points build a real
 * one: the scan, digest and worker use Powertools Metrics (functions/lambda-metrics.ts, flushed at
 * the end of each invocation); the Slack function writes each count as its own EMF line with
 * `emfLines`, which keeps Powertools Metrics out of its bundle (docs/decisions.md). Without one
 * (`npm start`, the `kept` CLI, most tests) nothing is counted and nothing printed; tests that check
 * a count pass their own.
 */
import { METRICS_NAMESPACE, type MetricName, type MetricService } from './metric-names';

export type { MetricName, MetricService } from './metric-names';

export interface Metrics {
  /** Adds `value` (default 1) to `name`. */
  count(name: MetricName, value?: number): void;
}

/** One EMF line: `value` of `name` in the Kept namespace, with the `service` dimension. */
export function emfLine(service: MetricService, name: MetricName, value: number, at = Date.now()): string {
  return JSON.stringify({
    _aws: {
      Timestamp: at,
      CloudWatchMetrics: [
        { Namespace: METRICS_NAMESPACE, Dimensions: [['service']], Metrics: [{ Name: name, Unit: 'Count' }] },
      ],
    },
    service,
    [name]: value,
  });
}

/** Each count written at once as one EMF line (for a function that counts rarely and must load fast). */
export function emfLines(
  service: MetricService,
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Metrics {
  return { count: (name, value = 1) => write(emfLine(service, name, value)) };
}
