import { Match, type Template } from 'aws-cdk-lib/assertions';
import { WORKER_ITEM_MARGIN_MS } from '../../functions/jobs/work';
import { REQUEST_LEASE_MS } from '../../functions/slack/notify-requests';
import { SLACK_LEASE_MS, WORKER_LEASE_MS } from '../../functions/store/deliveries';
import { createTableInput, TTL_ATTRIBUTE } from '../../functions/store/schema';
import { WORKER_TIMEOUT_SECONDS } from '../../functions/work/worker-settings';
import { API_THROTTLE } from '../../lib/constructs/slack-api';
import { WORKER_MAX_CONCURRENCY, WORKER_MAX_RECEIVE_COUNT } from '../../lib/constructs/worker';
import type { KeptStack } from '../../lib/kept-stack';
import { DEFAULT_SETTINGS } from '../../lib/settings';
import { buildTemplate, logicalId } from './build';

// biome-ignore lint/suspicious/noExplicitAny: the synthesized template is read by path
type Json = Record<string, any>;

let stack: KeptStack;
let template: Template;
let resources: Record<string, Json>;
let ids: {
  table: string;
  signing: string;
  token: string;
  sessionKey: string;
  queue: string;
  workerDlq: string;
  jobsDlq: string;
  topic: string;
};
let functions: Record<'slack' | 'web' | 'scan' | 'digest' | 'worker', { fn: string; role: string; logs: string }>;

beforeAll(() => {
  ({ stack, template } = buildTemplate());
  resources = template.toJSON().Resources as Record<string, Json>;
  ids = {
    table: logicalId(stack, stack.table.table),
    signing: logicalId(stack, stack.signingSecret),
    token: logicalId(stack, stack.botToken),
    sessionKey: logicalId(stack, stack.webSessionKey),
    queue: logicalId(stack, stack.worker.queue),
    workerDlq: logicalId(stack, stack.worker.deadLetterQueue),
    jobsDlq: logicalId(stack, stack.jobs.deadLetterQueue),
    topic: logicalId(stack, stack.alarms.topic),
  };
  const of = (f: KeptStack['jobs']['scan']) => ({
    fn: logicalId(stack, f.fn),
    role: logicalId(stack, f.role),
    logs: logicalId(stack, f.logGroup),
  });
  functions = {
    slack: of(stack.slackApi.function),
    web: of(stack.web.function),
    scan: of(stack.jobs.scan),
    digest: of(stack.jobs.digest),
    worker: of(stack.worker.function),
  };
});

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const ref = (id: string) => ({ Ref: id });
const arn = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
const asArray = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

/** Every Allow statement attached to a role, with Action and Resource as arrays. */
function statementsOf(roleId: string): { Action: string[]; Resource: unknown[] }[] {
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties.Roles as Json[]).some((r) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Json[])
    .map((s) => ({ Action: asArray(s.Action), Resource: asArray(s.Resource) }));
}
const actionsOf = (roleId: string) => statementsOf(roleId).flatMap((s) => s.Action);
/** Like statementsOf, with each statement's Condition. */
function statementsWithConditions(roleId: string): { Action: string[]; Resource: unknown[]; Condition?: Json }[] {
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties.Roles as Json[]).some((r) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Json[])
    .map((s) => ({ Action: asArray(s.Action), Resource: asArray(s.Resource), Condition: s.Condition }));
}
/** IAM StringLike: `*` any run of characters, `?` one. */
const matchesLike = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  ).test(value);

describe('table', () => {
  it('is on-demand, keyed and indexed exactly like the local table (functions/store/schema.ts)', () => {
    const local = createTableInput('kept');
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: local.BillingMode,
      KeySchema: local.KeySchema,
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      GlobalSecondaryIndexes: local.GlobalSecondaryIndexes,
    });
  });

  it('survives mistakes: point-in-time recovery, deletion protection, retained on stack delete and replace', () => {
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        Replicas: [
          Match.objectLike({
            DeletionProtectionEnabled: true,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          }),
        ],
      },
    });
  });
});

describe('functions', () => {
  const expected = {
    slack: { timeout: 10, memory: 1024, queueUrl: true },
    scan: { timeout: 60, memory: 512, queueUrl: true },
    digest: { timeout: 300, memory: 512, queueUrl: true },
    worker: { timeout: 60, memory: 1024, queueUrl: true },
  } as const;

  it('are exactly the five Kept functions', () => {
    template.resourceCountIs('AWS::Lambda::Function', 5);
  });

  it.each(Object.keys(expected) as (keyof typeof expected)[])(
    '%s runs nodejs22.x on arm64 with its timeout, own role, own log group and the table and secret ARN in its environment',
    (name) => {
      const e = expected[name];
      const props = resources[functions[name].fn]!.Properties;
      expect(props).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Timeout: e.timeout,
        MemorySize: e.memory,
        Role: arn(functions[name].role),
        LoggingConfig: { LogGroup: ref(functions[name].logs) },
      });
      const env = props.Environment.Variables as Json;
      expect(env).toMatchObject({
        KEPT_TABLE: ref(ids.table),
        KEPT_SLACK_BOT_TOKEN_ARN: ref(ids.token),
        KEPT_ADMINS: DEFAULT_SETTINGS.admins,
        POWERTOOLS_SERVICE_NAME: 'kept',
      });
      // Parsing the source map at every cold start cost more than it gave (kept-function.ts).
      expect(env).not.toHaveProperty('NODE_OPTIONS');
      // The signing secret's ARN only where signatures are checked.
      if (name === 'slack') expect(env.KEPT_SLACK_SIGNING_SECRET_ARN).toEqual(ref(ids.signing));
      else expect(env).not.toHaveProperty('KEPT_SLACK_SIGNING_SECRET_ARN');
      if (e.queueUrl) expect(env.KEPT_QUEUE_URL).toEqual(ref(ids.queue));
      else expect(env).not.toHaveProperty('KEPT_QUEUE_URL');
      expect(env).not.toHaveProperty('SLACK_API_URL');
    },
  );

  it('web runs nodejs22.x on arm64 with its own role and log group, the table, the admins, its URL and only its session key ARN: no Slack secret, no queue', () => {
    const props = resources[functions.web.fn]!.Properties;
    expect(props).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Timeout: 10,
      MemorySize: 512,
      Role: arn(functions.web.role),
      LoggingConfig: { LogGroup: ref(functions.web.logs) },
    });
    const env = props.Environment.Variables as Json;
    expect(Object.keys(env).sort()).toEqual(
      ['KEPT_ADMINS', 'KEPT_PUBLIC_URL', 'KEPT_TABLE', 'KEPT_WEB_SESSION_KEY_ARN', 'POWERTOOLS_SERVICE_NAME'].sort(),
    );
    expect(env).toMatchObject({ KEPT_TABLE: ref(ids.table), KEPT_WEB_SESSION_KEY_ARN: ref(ids.sessionKey) });
    expect(JSON.stringify(env.KEPT_PUBLIC_URL)).toContain('execute-api');
  });

  it('never put a Slack credential in an environment variable: only the secret ARN', () => {
    for (const [, fn] of ofType('AWS::Lambda::Function')) {
      const keys = Object.keys(fn.Properties.Environment.Variables as Json);
      expect(keys).not.toContain('SLACK_BOT_TOKEN');
      expect(keys).not.toContain('SLACK_SIGNING_SECRET');
      expect(keys.filter((k) => /TOKEN|SECRET|PASSWORD/.test(k) && !/_ARN$/.test(k))).toEqual([]);
    }
  });

  it('keep every log group for one month', () => {
    const groups = ofType('AWS::Logs::LogGroup');
    expect(groups).toHaveLength(6); // five functions and the API access log
    for (const [, g] of groups) expect(g.Properties.RetentionInDays).toBe(30);
  });
});

describe('Slack secrets', () => {
  it('are two, the signing secret and the bot token, created without a value; the operator stores them', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 3); // and the web session key (below)
    for (const name of ['kept/slack-signing-secret', 'kept/slack-bot-token'])
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        Name: name,
        GenerateSecretString: {},
        SecretString: Match.absent(),
      });
  });

  it('beside them, the web session key is generated by Secrets Manager: 64 random characters under KEPT_WEB_SESSION_KEY', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'kept/web-session-key',
      GenerateSecretString: {
        SecretStringTemplate: '{}',
        GenerateStringKey: 'KEPT_WEB_SESSION_KEY',
        PasswordLength: 64,
        ExcludePunctuation: true,
      },
      SecretString: Match.absent(),
    });
  });

  it('no credential-looking value appears anywhere in the template', () => {
    const json = JSON.stringify(template.toJSON());
    expect(json.match(/xox[a-z]-[^"]*/g)).toBeNull(); // bot, user and refresh tokens
    expect(json.match(/xapp-[^"]*/g)).toBeNull(); // app-level tokens
    expect(json.match(/\b[0-9a-f]{32}\b/g)).toBeNull(); // the shape of a Slack signing secret
    expect(json.match(/SLACK_(SIGNING_SECRET|BOT_TOKEN)\W{1,4}:[^,}]*/g)).toBeNull(); // a key with a value
  });
});

describe('HTTP API', () => {
  it("routes POST /slack/events to the Slack function and the web dashboard's paths to the web function, payload format 2.0", () => {
    const integrations = template.findResources('AWS::ApiGatewayV2::Integration');
    expect(Object.keys(integrations)).toHaveLength(2);
    const target = (routeTarget: Json) => {
      const id = (routeTarget['Fn::Join'][1] as Json[]).find((p) => p.Ref)!.Ref as string;
      const integration = integrations[id]!.Properties;
      expect(integration).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
      return integration.IntegrationUri['Fn::GetAtt'][0] as string;
    };
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
      (r) => [r.Properties.RouteKey as string, target(r.Properties.Target)] as const,
    );
    expect(Object.fromEntries(routes)).toEqual({
      'POST /slack/events': functions.slack.fn,
      'GET /': functions.web.fn,
      'GET /web': functions.web.fn,
      'GET /web/{proxy+}': functions.web.fn,
      'POST /web/signout': functions.web.fn,
    });
    // `/sla web` links and the pages' secure cookies point at this API.
    for (const fn of [functions.slack.fn, functions.web.fn])
      expect(JSON.stringify(resources[fn]!.Properties.Environment.Variables.KEPT_PUBLIC_URL)).toContain('execute-api');
  });

  it('throttles the stage and writes access logs to a log group with retention', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: {
        ThrottlingBurstLimit: API_THROTTLE.burstLimit,
        ThrottlingRateLimit: API_THROTTLE.rateLimit,
      },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('\\$context\\.routeKey') },
    });
    const stage = ofType('AWS::ApiGatewayV2::Stage')[0]![1];
    const logGroupId = stage.Properties.AccessLogSettings.DestinationArn['Fn::GetAtt'][0] as string;
    expect(resources[logGroupId]).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } });
  });
});

describe('schedules', () => {
  const schedules = () => ofType('AWS::Scheduler::Schedule').map(([, s]) => s.Properties as Json);
  const scheduleFor = (fnId: string) => schedules().find((s) => s.Target.Arn['Fn::GetAtt']?.[0] === fnId)!;

  it('runs the scan every minute with its job input, a retry policy and the jobs dead-letter queue', () => {
    expect(schedules()).toHaveLength(2);
    const scan = scheduleFor(functions.scan.fn);
    expect(scan).toMatchObject({
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        DeadLetterConfig: { Arn: arn(ids.jobsDlq) },
        RetryPolicy: { MaximumRetryAttempts: expect.any(Number), MaximumEventAgeInSeconds: 60 },
      },
    });
    expect(JSON.parse(scan.Target.Input as string)).toEqual({
      source: 'kept.schedule',
      job: 'scan',
      scheduledTime: '<aws.scheduler.scheduled-time>',
    });
  });

  it('runs the digest every 15 minutes (each channel at its own weekday, time and zone), with retries and the dead-letter queue', () => {
    const digest = scheduleFor(functions.digest.fn);
    expect(digest.ScheduleExpressionTimezone ?? 'Etc/UTC').toBe('Etc/UTC'); // a rate: the zone is the channel's, worked out per run
    expect(digest).toMatchObject({
      ScheduleExpression: 'rate(15 minutes)',
      Target: {
        DeadLetterConfig: { Arn: arn(ids.jobsDlq) },
        RetryPolicy: { MaximumRetryAttempts: expect.any(Number), MaximumEventAgeInSeconds: expect.any(Number) },
      },
    });
    expect(digest.Target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
    expect(JSON.parse(digest.Target.Input as string)).toEqual({
      source: 'kept.schedule',
      job: 'digest',
      scheduledTime: '<aws.scheduler.scheduled-time>',
    });
  });

  it('sends failed asynchronous scan and digest invocations to the jobs dead-letter queue; the scan is not retried', () => {
    const configFor = (fnId: string) =>
      ofType('AWS::Lambda::EventInvokeConfig').find(([, c]) => c.Properties.FunctionName.Ref === fnId)![1].Properties;
    const onFailure = { DestinationConfig: { OnFailure: { Destination: arn(ids.jobsDlq) } } };
    expect(configFor(functions.scan.fn)).toMatchObject({ ...onFailure, MaximumRetryAttempts: 0 });
    expect(configFor(functions.digest.fn)).toMatchObject({ ...onFailure, MaximumRetryAttempts: 2 });
  });

  it('scheduler roles may invoke only their own job and write only to the jobs dead-letter queue', () => {
    for (const [job, role] of Object.entries(stack.jobs.schedulerRoles)) {
      const fnId = functions[job as 'scan' | 'digest'].fn;
      for (const s of statementsOf(logicalId(stack, role))) {
        if (s.Action.includes('lambda:InvokeFunction')) {
          expect(s.Action).toEqual(['lambda:InvokeFunction']);
          expect(JSON.stringify(s.Resource)).toContain(fnId);
          expect(JSON.stringify(s.Resource)).not.toMatch(
            new RegExp(
              Object.values(functions)
                .map((f) => f.fn)
                .filter((id) => id !== fnId)
                .join('|'),
            ),
          );
        } else {
          expect(s).toEqual({ Action: ['sqs:SendMessage'], Resource: [arn(ids.jobsDlq)] });
        }
      }
    }
  });
});

describe('schedules with other context', () => {
  it('refuse the removed kept:digestCron and kept:digestTimezone at synth time, pointing to the import file', () => {
    expect(() => buildTemplate({ 'kept:digestTimezone': 'Europe/Berlin' })).toThrow(
      /kept:digestTimezone is no longer used.*digest section of the import file/,
    );
    expect(() => buildTemplate({ 'kept:digestCron': 'cron(30 8 ? * FRI *)' })).toThrow(
      /kept:digestCron is no longer used/,
    );
  });
});

describe('Slack API URL', () => {
  it('is passed to the functions when https, and refused at synth time when plain http', () => {
    const { stack: s, template: t } = buildTemplate({ 'kept:slackApiUrl': 'https://fake-slack.example.com/api/' });
    const fn = t.toJSON().Resources[logicalId(s, s.worker.function.fn)] as Json;
    expect(fn.Properties.Environment.Variables.SLACK_API_URL).toBe('https://fake-slack.example.com/api/');
    expect(() => buildTemplate({ 'kept:slackApiUrl': 'http://fake-slack.example.com/api/' })).toThrow(
      /kept:slackApiUrl must be an https URL/,
    );
  });
});

describe('workspace and retention settings', () => {
  it('reach every function, and a malformed one fails the synth naming its key', () => {
    const { stack: s, template: t } = buildTemplate({
      'kept:slackTeamId': 'T0KEPT0001',
      'kept:externalTeams': 'T0PARTNER1, T0PARTNER2',
      'kept:retentionMonths': '24',
    });
    for (const fn of [s.worker.function.fn, s.slackApi.function.fn, s.jobs.digest.fn]) {
      const vars = (t.toJSON().Resources[logicalId(s, fn)] as Json).Properties.Environment.Variables;
      expect([vars.SLACK_TEAM_ID, vars.KEPT_EXTERNAL_TEAMS, vars.KEPT_RETENTION_MONTHS]).toEqual([
        'T0KEPT0001',
        'T0PARTNER1,T0PARTNER2',
        '24',
      ]);
    }
    expect(() => buildTemplate({ 'kept:slackTeamId': 'acme' })).toThrow(
      /kept:slackTeamId must be the Slack workspace ID/,
    );
    expect(() => buildTemplate({ 'kept:retentionMonths': 'two years' })).toThrow(
      /kept:retentionMonths must be a whole number/,
    );
    expect(() => buildTemplate({ 'kept:externalTeams': 'acme.slack.com' })).toThrow(/kept:externalTeams must be/);
  });
});

describe('worker queue', () => {
  it('feeds at most 5 workers ten messages at a time and retries only the messages they report as failed', () => {
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: ref(functions.worker.fn),
      EventSourceArn: arn(ids.queue),
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: WORKER_MAX_CONCURRENCY },
    });
  });

  it('moves a message to the dead-letter queue after 5 receives', () => {
    expect(resources[ids.queue]!.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: arn(ids.workerDlq),
      maxReceiveCount: WORKER_MAX_RECEIVE_COUNT,
    });
    expect(WORKER_MAX_RECEIVE_COUNT).toBe(5);
  });

  it('hides a message for at least 6 times the worker timeout', () => {
    const timeout = resources[functions.worker.fn]!.Properties.Timeout as number;
    expect(resources[ids.queue]!.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
  });

  it("leases a delivery for longer than the function holding it can run; the worker's ends before SQS shows the message again", () => {
    const timeoutMs = (name: 'slack' | 'worker') =>
      1000 * (resources[functions[name].fn]!.Properties.Timeout as number);
    // A lease that ran out belongs to an attempt that was killed (functions/store/deliveries.ts).
    expect(SLACK_LEASE_MS).toBeGreaterThan(timeoutMs('slack'));
    expect(WORKER_LEASE_MS).toBeGreaterThan(timeoutMs('worker'));
    // ...and it runs out before the retry that is to take it over: SQS's redelivery, and Slack's
    // retry of an event about a minute after one it refused.
    expect(WORKER_LEASE_MS).toBeLessThan(1000 * (resources[ids.queue]!.Properties.VisibilityTimeout as number));
    expect(SLACK_LEASE_MS).toBeLessThan(60_000);
  });

  it('the deployed worker timeout is the one its code is sized for: a request lease outlasts it, the time margin fits in it', () => {
    const timeoutMs = (resources[functions.worker.fn]!.Properties.Timeout as number) * 1000;
    expect(timeoutMs).toBe(WORKER_TIMEOUT_SECONDS * 1000);
    // A lease that ran out under a live worker would let a second one post the same card.
    expect(REQUEST_LEASE_MS).toBeGreaterThanOrEqual(timeoutMs + 30_000);
    // A worker stops taking records with this much left; less than half the run would waste it.
    expect(WORKER_ITEM_MARGIN_MS).toBeLessThanOrEqual(timeoutMs / 2);
  });

  it('all queues are encrypted and refuse requests without TLS', () => {
    const queues = ofType('AWS::SQS::Queue');
    expect(queues.map(([id]) => id).sort()).toEqual([ids.jobsDlq, ids.queue, ids.workerDlq].sort());
    for (const [id, q] of queues) {
      expect(q.Properties.SqsManagedSseEnabled).toBe(true);
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [ref(id)],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });
});

describe('alarms', () => {
  const alarms = () => ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties as Json);
  const notifiesTopic = () => ({ AlarmActions: [ref(ids.topic)], OKActions: [ref(ids.topic)] });

  it.each(['slack', 'scan', 'digest', 'worker'] as const)('alarm on any %s function error within 5 minutes', (name) => {
    const found = alarms().filter(
      (a) => a.MetricName === 'Errors' && a.Dimensions?.[0]?.Value?.Ref === functions[name].fn,
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      Namespace: 'AWS/Lambda',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      ...notifiesTopic(),
    });
  });

  it.each([
    ['worker', 'workerDlq'],
    ['jobs', 'jobsDlq'],
  ] as const)('alarm as soon as the %s dead-letter queue holds a message', (_, key) => {
    const found = alarms().filter(
      (a) =>
        a.MetricName === 'ApproximateNumberOfMessagesVisible' &&
        a.Dimensions?.[0]?.Value?.['Fn::GetAtt']?.[0] === ids[key],
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      Namespace: 'AWS/SQS',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      ...notifiesTopic(),
    });
  });

  it('alarm when the Slack function p99 duration exceeds 2.5 s', () => {
    const found = alarms().filter((a) => a.MetricName === 'Duration');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      ExtendedStatistic: 'p99',
      Threshold: 2500,
      ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: [{ Name: 'FunctionName', Value: ref(functions.slack.fn) }],
      ...notifiesTopic(),
    });
  });

  it('the alarm topic refuses publishing without TLS and its ARN is an output', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [ref(ids.topic)],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    template.hasOutput('AlarmTopicArn', { Value: ref(ids.topic) });
  });
});

describe('least privilege', () => {
  const fnNames = ['slack', 'web', 'scan', 'digest', 'worker'] as const;
  const functionRoles = () => fnNames.map((n) => functions[n].role);

  it('each function has its own role, with no managed policies', () => {
    expect(new Set(functionRoles()).size).toBe(5);
    for (const role of functionRoles()) {
      expect(resources[role]!.Properties.ManagedPolicyArns).toBeUndefined();
      const users = ofType('AWS::Lambda::Function').filter(([, f]) => f.Properties.Role['Fn::GetAtt'][0] === role);
      expect(users).toHaveLength(1);
    }
  });

  it('no policy grants a wildcard action, Scan, or table-level DynamoDB changes, and no statement is on Resource "*"', () => {
    for (const [, policy] of ofType('AWS::IAM::Policy')) {
      for (const s of policy.Properties.PolicyDocument.Statement as Json[]) {
        for (const action of asArray(s.Action as string | string[])) {
          expect(action).not.toMatch(/\*/);
          expect([
            'dynamodb:Scan',
            'dynamodb:DeleteTable',
            'dynamodb:UpdateTable',
            'dynamodb:CreateTable',
          ]).not.toContain(action);
        }
        expect(asArray(s.Resource)).not.toContain('*');
      }
    }
  });

  /** The role's DynamoDB statements on the table: action -> LeadingKeys patterns. */
  function tableGrants(name: (typeof fnNames)[number]): Record<string, string[]> {
    const grants: Record<string, string[]> = {};
    for (const s of statementsWithConditions(functions[name].role)) {
      if (!s.Action.some((a) => a.startsWith('dynamodb:'))) continue;
      if (JSON.stringify(s.Resource) !== JSON.stringify([arn(ids.table)])) continue;
      const keys = s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'];
      expect(keys).toBeDefined(); // never an item action on the whole table
      expect(Object.keys(s.Condition!)).toEqual(['ForAllValues:StringLike']);
      // CDK merges the statements of actions with the same partitions.
      for (const action of s.Action) {
        const name = action.replace('dynamodb:', '');
        grants[name] = [...new Set([...(grants[name] ?? []), ...asArray(keys as string | string[])])];
      }
    }
    return grants;
  }
  const indexGrants = (name: (typeof fnNames)[number]) =>
    statementsOf(functions[name].role)
      .filter((s) => s.Action.some((a) => a.startsWith('dynamodb:')))
      .filter((s) => JSON.stringify(s.Resource).includes('/index/'));

  const expectedTable: Record<(typeof fnNames)[number], Record<string, string[]>> = {
    slack: {
      GetItem: [
        'TIPS',
        'REQ#*',
        'THREAD#*',
        'DELIVERY#*',
        'AGREEMENT#*',
        'KUDOS_WEEK#*',
        'KUDOS#*',
        'KUDOS_REACTION#*',
        'SUBSCRIPTION',
        'REVIEW#*',
      ],
      BatchGetItem: ['DIRECTORY', 'REQ#*'],
      Query: [
        'DIRECTORY',
        'TIPS',
        'REQ#*',
        'STATS#*',
        'KUDOS_WEEK#*',
        'AUDIT#*',
        'SUBSCRIPTION',
        'METRIC#*',
        'REVIEW#*',
      ],
      PutItem: [
        'DIRECTORY',
        'TIPS',
        'REQ#*',
        'DELIVERY#*',
        'AGREEMENT#*',
        'LEDGER#*',
        'STATS#*',
        'KUDOS_WEEK#*',
        'KUDOS_REACTION#*',
        'AUDIT#*',
        'RETAIN#*',
        'SIGNIN#*',
        'SUBSCRIPTION',
        'REVIEWDUE',
      ],
      UpdateItem: [
        'DIRECTORY',
        'DELIVERY#*',
        'AGREEMENT#*',
        'LEDGER#*',
        'STATS#*',
        'KUDOS_WEEK#*',
        'KUDOS#*',
        'REVIEW#*',
      ],
      DeleteItem: ['DELIVERY#*', 'KUDOS_WEEK#*', 'KUDOS_REACTION#*', 'SUBSCRIPTION'],
    },
    // The pages read the directory, the day counters, a request's record and an agreement's ledger; the one write is
    // using a sign-in link.
    web: {
      Query: ['DIRECTORY', 'REQ#*', 'LEDGER#*', 'STATS#*', 'METRIC#*'],
      UpdateItem: ['SIGNIN#*'],
    },
    // It also takes people who left off departments (DIRECTORY, with their audit line), unassigns
    // their requests, and removes the text of requests past retention (REQ#, STATS#, RETAIN#). It
    // reads a weekly report's subscription and removes it when its person is no longer a head.
    worker: {
      GetItem: ['REQ#*', 'DELIVERY#*', 'AGREEMENT#*', 'KUDOS_WEEK#*', 'SUBSCRIPTION', 'REVIEW#*'],
      Query: ['DIRECTORY', 'REQ#*', 'LEDGER#*', 'STATS#*'],
      PutItem: ['DIRECTORY', 'REQ#*', 'THREAD#*', 'DELIVERY#*', 'STATS#*', 'AUDIT#*', 'RETAIN#*'],
      UpdateItem: ['DIRECTORY', 'REQ#*', 'DELIVERY#*', 'AGREEMENT#*', 'STATS#*', 'KUDOS_WEEK#*', 'REVIEW#*'],
      DeleteItem: ['REQ#*', 'DELIVERY#*', 'RETAIN#*', 'SUBSCRIPTION', 'REVIEWDUE'],
    },
    scan: {
      GetItem: ['REQ#*', 'AGREEMENT#*', 'LEDGER#*'],
      Query: ['DIRECTORY', 'REQ#*'],
      PutItem: ['REQ#*', 'LEDGER#*', 'STATS#*', 'RETAIN#*'],
      UpdateItem: ['REQ#*', 'LEDGER#*', 'STATS#*'],
    },
    digest: {
      GetItem: ['REQ#*', 'LEDGER#*', 'DIGEST#*', 'RETAIN', 'STATEMENT#*', 'REVIEW#*'],
      Query: [
        'DIRECTORY',
        'TIPS',
        'LEDGER#*',
        'STATS#*',
        'KUDOS_WEEK#*',
        'RETAIN#*',
        'SUBSCRIPTION',
        'STATEMENT#*',
        'REVIEW#*',
        'REVIEWDUE',
        'METRIC#*',
      ],
      PutItem: ['DIGEST#*', 'RETAIN', 'SUBSCRIPTION_WEEK#*', 'STATEMENT#*', 'REVIEW#*'],
      UpdateItem: ['DIGEST#*', 'SUBSCRIPTION_WEEK#*', 'STATEMENT#*', 'REVIEW#*', 'REVIEWDUE'],
      DeleteItem: ['DIGEST#*', 'SUBSCRIPTION_WEEK#*'],
    },
  };
  const expectedIndexes = {
    slack: ['gsi2', 'gsi3'],
    web: [],
    worker: ['gsi3'],
    scan: ['gsi1'],
    digest: ['gsi3'],
  } as const;

  it.each(fnNames)('%s may send only the item actions its code sends, each on its own partitions', (name) => {
    const grants = tableGrants(name);
    expect(Object.keys(grants).sort()).toEqual(Object.keys(expectedTable[name]).sort());
    for (const [action, keys] of Object.entries(expectedTable[name]))
      expect(grants[action]!.sort()).toEqual(keys.sort());
  });

  it.each(fnNames)('%s may query only the indexes it reads, each named', (name) => {
    const statements = indexGrants(name);
    const wanted: readonly string[] = expectedIndexes[name];
    if (wanted.length === 0) return expect(statements).toEqual([]);
    expect(statements).toHaveLength(1);
    expect(statements[0]!.Action).toEqual(['dynamodb:Query']);
    const resources = JSON.stringify(statements[0]!.Resource);
    expect(resources).not.toContain('index/*');
    expect(statements[0]!.Resource).toHaveLength(wanted.length);
    for (const index of wanted) expect(resources).toContain(`/index/${index}`);
  });

  it('the digest writes only its own items (its DIGEST#, weekly report, STATEMENT# and REVIEW# claims, the retention cursor); request partitions are written by the Slack function, the scan and the worker alone', () => {
    const writes = ['PutItem', 'UpdateItem', 'DeleteItem'];
    for (const action of writes)
      for (const key of tableGrants('digest')[action] ?? [])
        expect(['DIGEST#*', 'RETAIN', 'SUBSCRIPTION_WEEK#*', 'STATEMENT#*', 'REVIEW#*', 'REVIEWDUE']).toContain(key);
    // The request item is replaced (Put) by the Slack function (filing, every change) and the scan
    // (at-risk and breach); the worker only writes its card, DM thread and lease and marks the checks done.
    const putsRequests = fnNames.filter((n) => tableGrants(n).PutItem?.includes('REQ#*'));
    expect(putsRequests.sort()).toEqual(['scan', 'slack', 'worker']);
  });

  it('no role may delete a ledger item; only the scan (charges) and the Slack function (waivers) may update its partition', () => {
    const ledger = (keys: string[] | undefined) => (keys ?? []).some((k) => matchesLike(k, 'LEDGER#agreement#2026-11'));
    for (const name of fnNames) {
      const grants = tableGrants(name);
      expect(ledger(grants.DeleteItem)).toBe(false);
      expect(ledger(grants.UpdateItem)).toBe(name === 'scan' || name === 'slack');
    }
    // The entries and the month's TOTAL share a partition: that the code never updates an entry is
    // held by functions/store/ledger.ts (tests/lib/access.test.ts, docs/decisions.md).
  });

  it('no role has BatchWriteItem, ConditionCheckItem, DescribeTable, Scan, PartiQL or any table-level action', () => {
    for (const name of fnNames) {
      const actions = actionsOf(functions[name].role).filter((a) => a.startsWith('dynamodb:'));
      expect(
        actions.filter((a) => !/^dynamodb:(GetItem|BatchGetItem|Query|PutItem|UpdateItem|DeleteItem)$/.test(a)),
      ).toEqual([]);
    }
  });

  it('only the worker may receive from the queue (and send back to it); Slack, scan and digest may only send to it (scan and digest also to the jobs DLQ)', () => {
    const consumers = ofType('AWS::IAM::Role')
      .map(([id]) => id)
      .filter((id) => actionsOf(id).includes('sqs:ReceiveMessage'));
    expect(consumers).toEqual([functions.worker.role]);
    // A rate-limited item goes back on the worker's own queue, with a delay.
    const workerSqs = statementsOf(functions.worker.role).filter((s) => s.Action.some((a) => a.startsWith('sqs:')));
    expect(workerSqs).toEqual([
      {
        Action: [
          'sqs:ChangeMessageVisibility',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
          'sqs:ReceiveMessage',
          'sqs:SendMessage',
        ],
        Resource: [arn(ids.queue)],
      },
    ]);
    for (const name of ['slack', 'scan', 'digest'] as const) {
      const sqs = statementsOf(functions[name].role).filter((s) => s.Action.some((a) => a.startsWith('sqs:')));
      const queues = name === 'slack' ? [arn(ids.queue)] : [arn(ids.jobsDlq), arn(ids.queue)];
      expect(sqs).toEqual([
        { Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'], Resource: queues },
      ]);
    }
  });

  it('only the Slack function, which checks signatures, may read the signing secret; the four that call Slack read the bot token; only the web function reads its session key; GetSecretValue alone', () => {
    const readers = ofType('AWS::IAM::Role')
      .map(([id]) => id)
      .filter((id) => actionsOf(id).some((a) => a.startsWith('secretsmanager:')));
    expect(readers.sort()).toEqual(functionRoles().sort());
    const readersOf = (secretId: string) =>
      readers.filter((role) =>
        statementsOf(role).some((s) => JSON.stringify(s.Resource).includes(JSON.stringify(ref(secretId)))),
      );
    expect(readersOf(ids.signing)).toEqual([functions.slack.role]);
    expect(readersOf(ids.sessionKey)).toEqual([functions.web.role]);
    expect(readersOf(ids.token).sort()).toEqual(
      functionRoles()
        .filter((r) => r !== functions.web.role)
        .sort(),
    );
    for (const role of readers) {
      const secret = statementsOf(role).filter((s) => s.Action.some((a) => a.startsWith('secretsmanager:')));
      const resources = secret.flatMap((s) => s.Resource);
      expect(secret.flatMap((s) => s.Action).every((a) => a === 'secretsmanager:GetSecretValue')).toBe(true);
      const expected =
        role === functions.slack.role
          ? [ref(ids.signing), ref(ids.token)]
          : role === functions.web.role
            ? [ref(ids.sessionKey)]
            : [ref(ids.token)];
      expect(resources).toHaveLength(expected.length);
      expect(resources).toEqual(expect.arrayContaining(expected));
    }
  });
});

describe('outputs', () => {
  it('give the operator the Slack request URL, the two secrets, the table and the alarm topic', () => {
    const outputs = template.toJSON().Outputs as Json;
    expect(JSON.stringify(outputs.SlackRequestUrl.Value)).toMatch(/\/slack\/events"\]\]\}$/);
    expect(outputs.SlackSigningSecretName.Value).toBe('kept/slack-signing-secret');
    expect(outputs.SlackBotTokenName.Value).toBe('kept/slack-bot-token');
    expect(outputs.TableName.Value).toEqual(ref(ids.table));
  });
});
