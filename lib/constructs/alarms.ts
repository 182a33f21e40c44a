/**
 * Alarms and the SNS topic they notify. Operators subscribe an email address (docs/deploy.md); what
 * each alarm means for users and what to do is in docs/operations.md, and each description says
 * which section. Missing data is "not breaching" (a function that did not run had no errors), except
 * for the scan's heartbeat, whose absence is the alarm.
 */
import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, type MetricName, type MetricService } from '../../functions/metric-names';

const PERIOD = Duration.minutes(5);
/** The digest runs every 15 minutes: one period is one run. */
const DIGEST_PERIOD = Duration.minutes(15);
const RUNBOOK = 'docs/operations.md';

/** The metric the API access-log filter writes for each request the stage throttled (HTTP APIs have no 429 metric). */
export const API_THROTTLED_METRIC = 'ApiThrottled';

/**
 * The thresholds, in one place (docs/decisions.md says why each). `periods`: consecutive periods
 * at or over the threshold before the alarm fires.
 */
export const ALARM_THRESHOLDS = {
  /** No finished scan run for this long (the scan runs every minute). */
  scanLag: Duration.minutes(10),
  /** A request failing on every run for 10 minutes gives at least 3 in each 5-minute period. */
  scanRequestFailed: { count: 3, periods: 2 },
  /** A channel that failed in two runs in a row. */
  digestChannelFailed: { count: 1, periods: 2 },
  digestRunFailed: { count: 1, periods: 1 },
  /** Each one may be a proposal or kudos DM that never arrives. */
  outboxSendFailed: { count: 1, periods: 1 },
  /** SQS retries an item; many failing for 10 minutes means the worker is stuck, before the DLQ says so. */
  workItemFailed: { count: 5, periods: 2 },
  /** An event Kept answered 500 is sent again by Slack; several in 5 minutes are people who saw an error. */
  api5xx: { count: 3, periods: 1 },
  api429: { count: 1, periods: 1 },
  lambdaThrottles: { count: 1, periods: 1 },
  /** Work waiting this long: cards and DMs are late (a message failing its first tries waits 6 minutes each). */
  workerQueueAge: Duration.minutes(15),
  /** The SDK retries a throttled call; this many in 5 minutes is a hot key or a runaway loop. */
  dynamoThrottles: { count: 5, periods: 1 },
} as const;

/** The DynamoDB operations Kept calls (functions/store/), whose throttled requests are summed. */
export const DYNAMODB_OPERATIONS = [
  dynamodb.Operation.GET_ITEM,
  dynamodb.Operation.QUERY,
  dynamodb.Operation.PUT_ITEM,
  dynamodb.Operation.UPDATE_ITEM,
  dynamodb.Operation.DELETE_ITEM,
  dynamodb.Operation.TRANSACT_WRITE_ITEMS,
];

export class Alarms extends Construct {
  readonly topic: sns.Topic;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'Kept alarms', enforceSSL: true });
    this.action = new SnsAction(this.topic);
  }

  /** Any error in five minutes. Every Kept error is worth a look: each one is a user or a breach left waiting. */
  onErrors(name: string, fn: lambda.IFunction): cloudwatch.Alarm {
    return this.add(`${name}Errors`, {
      alarmDescription: `Kept ${name} function reported errors: an invocation failed (${RUNBOOK}#function-errors)`,
      metric: fn.metricErrors({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      evaluationPeriods: 1,
    });
  }

  /** Any message in a dead-letter queue: a job gave up and needs a person (redrive or discard). */
  onDeadLetters(name: string, queue: sqs.IQueue): cloudwatch.Alarm {
    return this.add(`${name}DeadLetters`, {
      alarmDescription: `Kept ${name} dead-letter queue has messages: work gave up; inspect, fix, then redrive (${RUNBOOK}#dead-letters)`,
      metric: queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: 1,
      evaluationPeriods: 1,
    });
  }

  /** p99 duration above `limit` in two of three periods: Slack gives up on a request after 3 seconds. */
  onSlowP99(name: string, fn: lambda.IFunction, limit: Duration): cloudwatch.Alarm {
    return this.add(`${name}SlowP99`, {
      alarmDescription: `Kept ${name} p99 duration above ${limit.toMilliseconds()} ms: Slack gives up at 3 s, so people may see errors (${RUNBOOK}#slow-slack-answers)`,
      metric: fn.metricDuration({ period: PERIOD, statistic: cloudwatch.Stats.p(99) }),
      threshold: limit.toMilliseconds(),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    });
  }

  /**
   * No finished scan run (the ScanRunSucceeded heartbeat) for `scanLag`. Missing data is breaching:
   * a scan that never starts, or fails before it finishes, writes no heartbeat at all.
   */
  onScanLag(): cloudwatch.Alarm {
    const periods = Math.round(ALARM_THRESHOLDS.scanLag.toMinutes() / PERIOD.toMinutes());
    return this.add('ScanLag', {
      alarmDescription: `Kept scan has not finished a run in ${ALARM_THRESHOLDS.scanLag.toMinutes()} minutes: breaches, at-risk warnings and lost Slack work wait until it runs (${RUNBOOK}#scan-lag)`,
      metric: keptMetric('ScanRunSucceeded', 'scan', PERIOD),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: periods,
      datapointsToAlarm: periods,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
  }

  /** The failure counts the functions write themselves (functions/metric-names.ts). */
  onJobFailures(): cloudwatch.Alarm[] {
    const t = ALARM_THRESHOLDS;
    return [
      this.onCount('ScanRequestFailed', 'scan', PERIOD, t.scanRequestFailed, {
        id: 'ScanRequestFailures',
        means: 'the scan keeps failing on some requests; their breaches, warnings and Slack updates are late',
        section: 'scan-request-failures',
      }),
      this.onCount('DigestChannelFailed', 'digest', DIGEST_PERIOD, t.digestChannelFailed, {
        id: 'DigestChannelFailures',
        means: "a digest channel failed in two runs in a row; it has not had this week's digest",
        section: 'digest-failures',
      }),
      this.onCount('DigestRunFailed', 'digest', DIGEST_PERIOD, t.digestRunFailed, {
        id: 'DigestRunFailures',
        means: 'a digest run failed as a whole; no channel was posted by it',
        section: 'digest-failures',
      }),
      this.onCount('OutboxSendFailed', 'slack', PERIOD, t.outboxSendFailed, {
        id: 'OutboxSendFailures',
        means: 'the worker queue refused work after a change was saved; a proposal or kudos DM may never arrive',
        section: 'outbox-send-failures',
      }),
      this.onCount('WorkItemFailed', 'worker', PERIOD, t.workItemFailed, {
        id: 'WorkItemFailures',
        means: 'worker items keep failing; cards, threads and DMs are late and may end in the dead-letter queue',
        section: 'worker-item-failures',
      }),
    ];
  }

  /** 5xx answers of the Slack HTTP API: Slack saw an error (events are sent again; people saw "failed"). */
  onApiServerErrors(api: apigw.IHttpApi): cloudwatch.Alarm {
    const { count, periods } = ALARM_THRESHOLDS.api5xx;
    return this.add('Api5xx', {
      alarmDescription: `Kept Slack endpoint answered ${count} or more 5xx in 5 minutes: people saw errors, Slack resends events (${RUNBOOK}#api-5xx)`,
      metric: api.metricServerError({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
      threshold: count,
      evaluationPeriods: periods,
    });
  }

  /**
   * 429 answers of the stage throttle. HTTP APIs publish only 4xx (which holds every refused
   * signature too), so a metric filter counts status 429 in the access log.
   */
  onApiThrottled(accessLogs: logs.ILogGroup): cloudwatch.Alarm {
    const filter = new logs.MetricFilter(this, 'ApiThrottledFilter', {
      logGroup: accessLogs,
      filterPattern: logs.FilterPattern.stringValue('$.status', '=', '429'),
      metricNamespace: METRICS_NAMESPACE,
      metricName: API_THROTTLED_METRIC,
      metricValue: '1',
    });
    const { count, periods } = ALARM_THRESHOLDS.api429;
    return this.add('Api429', {
      alarmDescription: `Kept Slack endpoint throttled requests (429): Slack's requests were refused before reaching Kept (${RUNBOOK}#api-429)`,
      metric: filter.metric({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
      threshold: count,
      evaluationPeriods: periods,
    });
  }

  /** Lambda refused to run the function (account or function concurrency used up). */
  onThrottles(name: string, fn: lambda.IFunction): cloudwatch.Alarm {
    const { count, periods } = ALARM_THRESHOLDS.lambdaThrottles;
    return this.add(`${name}Throttles`, {
      alarmDescription: `Kept ${name} function was throttled by Lambda: invocations were refused for lack of concurrency (${RUNBOOK}#lambda-throttles)`,
      metric: fn.metricThrottles({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
      threshold: count,
      evaluationPeriods: periods,
    });
  }

  /** The oldest message in the worker queue has waited `workerQueueAge`: the worker is behind or stuck. */
  onQueueAge(name: string, queue: sqs.IQueue): cloudwatch.Alarm {
    const limit = ALARM_THRESHOLDS.workerQueueAge;
    return this.add(`${name}QueueAge`, {
      alarmDescription: `Kept ${name} queue holds work older than ${limit.toMinutes()} minutes: cards and DMs are late (${RUNBOOK}#worker-queue-age)`,
      metric: queue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: limit.toSeconds(),
      evaluationPeriods: 1,
    });
  }

  /**
   * Throttled requests on the table or its indexes (ThrottledRequests counts both), summed over the
   * operations Kept calls. DynamoDB writes the metric only when something was throttled, and metric
   * math drops a timestamp missing from one side of `+`, so each operation is filled with 0 first.
   */
  onTableThrottles(table: dynamodb.TableV2): cloudwatch.Alarm {
    const { count, periods } = ALARM_THRESHOLDS.dynamoThrottles;
    const byOperation = Object.fromEntries(
      DYNAMODB_OPERATIONS.map((op) => [
        op.toLowerCase(),
        table.metricThrottledRequestsForOperation(op, { period: PERIOD, statistic: cloudwatch.Stats.SUM }),
      ]),
    );
    return this.add('TableThrottles', {
      alarmDescription: `Kept table throttled ${count} or more requests in 5 minutes: answers slow down and writes may fail (${RUNBOOK}#dynamodb-throttles)`,
      metric: new cloudwatch.MathExpression({
        expression: Object.keys(byOperation)
          .map((id) => `FILL(${id}, 0)`)
          .join(' + '),
        usingMetrics: byOperation,
        label: 'Throttled requests, every operation Kept calls',
        period: PERIOD,
      }),
      threshold: count,
      evaluationPeriods: periods,
    });
  }

  private onCount(
    name: MetricName,
    service: MetricService,
    period: Duration,
    { count, periods }: { count: number; periods: number },
    { id, means, section }: { id: string; means: string; section: string },
  ): cloudwatch.Alarm {
    return this.add(id, {
      alarmDescription: `Kept ${name}: ${means} (${RUNBOOK}#${section})`,
      metric: keptMetric(name, service, period),
      threshold: count,
      evaluationPeriods: periods,
      datapointsToAlarm: periods,
    });
  }

  private add(id: string, props: cloudwatch.AlarmProps): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      ...props,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    return alarm;
  }
}

/** One of Kept's own metrics (functions/metric-names.ts) as the function `service` writes it. */
export function keptMetric(name: MetricName, service: MetricService, period: Duration): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: { service },
    statistic: cloudwatch.Stats.SUM,
    period,
  });
}
