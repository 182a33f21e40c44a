/**
 * The scheduled jobs' and the worker's metrics: Powertools Metrics in the `Kept` namespace with the
 * function's `service` dimension, flushed as one EMF line at the end of each invocation (middy
 * `logMetrics`). The Slack function does without it (functions/metrics.ts `emfLines`).
 */
import { MetricUnit, Metrics as PowertoolsMetrics } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE, type MetricName, type MetricService } from './metric-names';
import type { Metrics } from './metrics';

export class LambdaMetrics extends PowertoolsMetrics implements Metrics {
  constructor(service: MetricService) {
    super({ namespace: METRICS_NAMESPACE, serviceName: service });
  }

  count(name: MetricName, value = 1): void {
    this.addMetric(name, MetricUnit.Count, value);
  }

  /**
   * An invocation that counted nothing writes nothing. Powertools would log "No application metrics
   * to publish" on every one, and most invocations (a batch whose items all went well) count nothing.
   */
  override publishStoredMetrics(): this {
    return this.hasStoredMetrics() ? super.publishStoredMetrics() : this;
  }
}
