/**
 * The alarms that say a job stalled or users are being failed (docs/operations.md): each watches the
 * right metric with its threshold, notifies the alarm topic when it fires and when it clears, and its
 * description says what it means and names a section of the operations manual that exists.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Template } from 'aws-cdk-lib/assertions';
import { METRIC_NAMES, METRICS_NAMESPACE } from '../../functions/metric-names';
import { DYNAMODB_OPERATIONS } from '../../lib/constructs/alarms';
import type { KeptStack } from '../../lib/kept-stack';
import { buildTemplate, logicalId } from './build';

// biome-ignore lint/suspicious/noExplicitAny: the synthesized template is read by path
type Json = Record<string, any>;

let stack: KeptStack;
let template: Template;
let resources: Record<string, Json>;

beforeAll(() => {
  ({ stack, template } = buildTemplate());
  resources = template.toJSON().Resources as Record<string, Json>;
});

const alarms = () =>
  Object.values(resources)
    .filter((r) => r.Type === 'AWS::CloudWatch::Alarm')
    .map((r) => r.Properties as Json);
const ref = (id: string) => ({ Ref: id });
const topic = () => logicalId(stack, stack.alarms.topic);
const notifiesTopic = () => ({ AlarmActions: [ref(topic())], OKActions: [ref(topic())] });

/** The one alarm on `metricName` (with `dimension` when given). */
function alarmOn(metricName: string, dimension?: { Name: string; Value: unknown }): Json {
  const found = alarms().filter(
    (a) =>
      a.MetricName === metricName &&
      (dimension === undefined || JSON.stringify(a.Dimensions) === JSON.stringify([dimension])),
  );
  expect(found).toHaveLength(1);
  return found[0]!;
}

const service = (name: string) => ({ Name: 'service', Value: name });
const FIVE_MINUTES = 300;

describe("Kept's own metrics", () => {
  it('scan lag: no finished scan run in 10 minutes, and no heartbeat at all counts as none', () => {
    expect(alarmOn('ScanRunSucceeded', service('scan'))).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      Statistic: 'Sum',
      Period: FIVE_MINUTES,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      ...notifiesTopic(),
    });
  });

  it.each([
    ['ScanRequestFailed', 'scan', FIVE_MINUTES, 3, 2],
    ['DigestChannelFailed', 'digest', 900, 1, 2],
    ['DigestRunFailed', 'digest', 900, 1, 1],
    ['OutboxSendFailed', 'slack', FIVE_MINUTES, 1, 1],
    ['WorkItemFailed', 'worker', FIVE_MINUTES, 5, 2],
  ] as const)(
    '%s (service %s): sum per %i s at or over %i in %i period(s) in a row',
    (name, svc, period, threshold, periods) => {
      expect(alarmOn(name, service(svc))).toMatchObject({
        Namespace: METRICS_NAMESPACE,
        Statistic: 'Sum',
        Period: period,
        Threshold: threshold,
        EvaluationPeriods: periods,
        DatapointsToAlarm: periods,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        ...notifiesTopic(),
      });
    },
  );

  it('every alarm on a Kept metric watches a name the code counts', () => {
    const watched = alarms().filter((a) => a.Namespace === METRICS_NAMESPACE && a.MetricName !== 'ApiThrottled');
    expect(watched.map((a) => a.MetricName).every((n) => (METRIC_NAMES as readonly string[]).includes(n))).toBe(true);
    expect(watched).toHaveLength(6); // UsergroupReadStale and RetentionRunFailed are counted for the record, not alarmed on
  });
});

describe('AWS metrics', () => {
  it('API Gateway 5xx: 3 or more in 5 minutes on the Slack HTTP API', () => {
    expect(alarmOn('5xx', { Name: 'ApiId', Value: ref(logicalId(stack, stack.slackApi.api)) })).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      Statistic: 'Sum',
      Period: FIVE_MINUTES,
      Threshold: 3,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      ...notifiesTopic(),
    });
  });

  it('API Gateway 429: counted by a metric filter on the access log (status "429"), any one alarms', () => {
    const filters = Object.values(resources).filter((r) => r.Type === 'AWS::Logs::MetricFilter');
    expect(filters).toHaveLength(1);
    expect(filters[0]!.Properties).toEqual({
      LogGroupName: ref(logicalId(stack, stack.slackApi.accessLogs)),
      FilterPattern: '{ $.status = "429" }',
      MetricTransformations: [{ MetricNamespace: METRICS_NAMESPACE, MetricName: 'ApiThrottled', MetricValue: '1' }],
    });
    // The access log writes the status as a string, which is what the filter compares.
    const stage = Object.values(resources).find((r) => r.Type === 'AWS::ApiGatewayV2::Stage')!;
    expect(JSON.parse(stage.Properties.AccessLogSettings.Format as string).status).toBe('$context.status');
    expect(alarmOn('ApiThrottled')).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      ...notifiesTopic(),
    });
  });

  it.each(['slack', 'scan', 'digest', 'worker'] as const)(
    'Lambda throttles of the %s function: any one alarms',
    (name) => {
      const fn = {
        slack: stack.slackApi.function,
        scan: stack.jobs.scan,
        digest: stack.jobs.digest,
        worker: stack.worker.function,
      }[name];
      expect(alarmOn('Throttles', { Name: 'FunctionName', Value: ref(logicalId(stack, fn.fn)) })).toMatchObject({
        Namespace: 'AWS/Lambda',
        Statistic: 'Sum',
        Period: FIVE_MINUTES,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        ...notifiesTopic(),
      });
    },
  );

  it('worker queue: its oldest message has waited 15 minutes', () => {
    const queue = { Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(stack, stack.worker.queue), 'QueueName'] } };
    expect(alarmOn('ApproximateAgeOfOldestMessage', queue)).toMatchObject({
      Namespace: 'AWS/SQS',
      Statistic: 'Maximum',
      Threshold: 900,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      ...notifiesTopic(),
    });
  });

  it('DynamoDB: 5 or more throttled requests in 5 minutes, over every operation Kept calls, each filled with 0', () => {
    const found = alarms().filter((a) => JSON.stringify(a.Metrics ?? []).includes('ThrottledRequests'));
    expect(found).toHaveLength(1);
    const alarm = found[0]!;
    expect(alarm).toMatchObject({
      Threshold: 5,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      ...notifiesTopic(),
    });
    const [expression, ...metrics] = alarm.Metrics as Json[];
    expect(expression!.Expression).toBe(metrics.map((m) => `FILL(${m.Id}, 0)`).join(' + '));
    const table = ref(logicalId(stack, stack.table.table));
    expect(metrics.map((m) => m.MetricStat)).toEqual(
      DYNAMODB_OPERATIONS.map((op) => ({
        Metric: {
          Namespace: 'AWS/DynamoDB',
          MetricName: 'ThrottledRequests',
          Dimensions: [
            { Name: 'Operation', Value: op },
            { Name: 'TableName', Value: table },
          ],
        },
        Period: FIVE_MINUTES,
        Stat: 'Sum',
      })),
    );
    expect([...DYNAMODB_OPERATIONS].sort()).toEqual(
      ['DeleteItem', 'GetItem', 'PutItem', 'Query', 'TransactWriteItems', 'UpdateItem'].sort(),
    );
  });
});

describe('every alarm', () => {
  const manual = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'operations.md'), 'utf8');
  /** GitHub's anchor for each heading of docs/operations.md. */
  const anchors = new Set(
    [...manual.matchAll(/^#{2,4} (.+)$/gm)].map((m) =>
      m[1]!
        .trim()
        .toLowerCase()
        .replace(/[^\w\- ]/g, '')
        .replace(/ /g, '-'),
    ),
  );

  it('notifies the alarm topic when it fires and when it clears', () => {
    expect(alarms().length).toBeGreaterThanOrEqual(21);
    for (const a of alarms()) expect(a).toMatchObject(notifiesTopic());
  });

  it('says what it means and names the section of docs/operations.md that says what to do, which exists', () => {
    for (const a of alarms()) {
      expect(a.AlarmDescription).toMatch(/^Kept .+: .+ \(docs\/operations\.md#[\w-]+\)$/);
      const section = /docs\/operations\.md#([\w-]+)/.exec(a.AlarmDescription as string)![1]!;
      expect([section, anchors.has(section)]).toEqual([section, true]);
    }
  });
});

describe('permissions', () => {
  it('counting needs none: metrics are log lines (EMF), so no role may call PutMetricData', () => {
    const actions = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Json[])
      .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]) as string[]);
    expect(actions.filter((a) => a.startsWith('cloudwatch:'))).toEqual([]);
  });
});
