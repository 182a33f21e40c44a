/**
 * Every cdk-nag finding Kept accepts, with the reason, in one list. The stack applies each entry
 * to the narrowest constructs it concerns (never to the whole app), and tests/lib/nag.test.ts
 * fails on any finding not covered here and on any entry without a specific reason.
 */
import { type CfnResource, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { KeptStack } from './kept-stack';

export interface NagAcknowledgement {
  /** The cdk-nag rule, e.g. `AwsSolutions-L1` or `Serverless-LambdaDLQ`. */
  readonly rule: string;
  /** Why the finding is acceptable here. Specific to Kept, not "not needed". */
  readonly reason: string;
  /** The constructs (and their children) the acknowledgement covers. */
  readonly scope: (stack: KeptStack) => IConstruct[];
  /**
   * For rules that report one finding per offending value (IAM5), the exact values, since cdk-nag
   * only accepts the full finding ID (`AwsSolutions-IAM5[Resource::<Fn.Arn>:*]`).
   */
  readonly findings?: (stack: KeptStack) => string[];
}

const allFunctions = (s: KeptStack) => [s.slackApi.function, s.jobs.scan, s.jobs.digest, s.worker.function];
const RUNTIME_REASON =
  'nodejs22.x is the runtime pinned by the project contract (bundles target node22); moving to nodejs24.x is a deliberate upgrade with its own test run against the new runtime, not a synth-time default';

const SCHEDULER_INVOKE_REASON =
  'EventBridge Scheduler role of one job: CDK grantInvoke adds <function ARN>:* so versions and aliases of that one function can be invoked; the wildcard never reaches another function';

/** `<LogicalId.Arn>` as cdk-nag prints a function ARN inside a finding. */
function arnToken(fn: IConstruct): string {
  const cfn = fn.node.defaultChild as CfnResource;
  return `<${Stack.of(fn).getLogicalId(cfn)}.Arn>`;
}

export const NAG_ACKNOWLEDGEMENTS: readonly NagAcknowledgement[] = [
  { rule: 'AwsSolutions-L1', reason: RUNTIME_REASON, scope: allFunctions },
  { rule: 'Serverless-LambdaLatestVersion', reason: RUNTIME_REASON, scope: allFunctions },
  {
    rule: 'AwsSolutions-APIG4',
    reason:
      'Slack cannot sign requests with IAM or JWT; every request is authenticated in the Slack function by the Slack HMAC-SHA256 signature and a 5-minute timestamp window (checklist B1/B2), and stage throttling bounds unauthenticated load (B5)',
    scope: (s) => [s.slackApi.api],
  },
  {
    rule: 'AwsSolutions-SMG4',
    reason:
      'Slack credentials cannot be rotated by a Lambda: the signing secret is regenerated and the bot token reissued in the Slack app settings, then stored with put-secret-value (rotation runbook in docs/deploy.md, checklist H2)',
    scope: (s) => [s.signingSecret, s.botToken],
  },
  ...(['scan', 'digest'] as const).map(
    (job): NagAcknowledgement => ({
      rule: 'AwsSolutions-IAM5',
      reason: SCHEDULER_INVOKE_REASON,
      scope: (s) => [s.jobs.schedulerRoles[job]],
      findings: (s) => [`Resource::${arnToken(s.jobs[job].fn)}:*`],
    }),
  ),
  {
    rule: 'AwsSolutions-SQS3',
    reason:
      'This queue is the dead-letter queue of the Scheduler targets and of failed async scan/digest invocations; a DLQ behind it would only hide failures, and its depth alarm notifies an operator',
    scope: (s) => [s.jobs.deadLetterQueue],
  },
  {
    rule: 'Serverless-SQSRedrivePolicy',
    reason:
      'Dead-letter queues themselves (worker redrive target, and Scheduler/async failures of the jobs); a redrive policy on a DLQ would move failures out of sight of the depth alarm',
    scope: (s) => [s.worker.deadLetterQueue, s.jobs.deadLetterQueue],
  },
  {
    rule: 'Serverless-LambdaDLQ',
    reason:
      'Slack function is invoked synchronously by API Gateway and Slack retries failed requests itself; Lambda dead-letter queues only apply to asynchronous invocations',
    scope: (s) => [s.slackApi.function],
  },
  {
    rule: 'Serverless-LambdaDLQ',
    reason:
      'Worker is invoked by an SQS event source mapping; failed messages are redriven to the worker dead-letter queue after 5 receives, and a Lambda DLQ only applies to asynchronous invocations',
    scope: (s) => [s.worker.function],
  },
  {
    rule: 'Serverless-LambdaDLQ',
    reason:
      'Scan and digest failures already go to the jobs dead-letter queue through an on-failure destination (EventInvokeConfig), which keeps the error as well as the event; a DeadLetterConfig would duplicate it',
    scope: (s) => [s.jobs.scan, s.jobs.digest],
  },
  {
    rule: 'Serverless-LambdaEventSourceMappingDestination',
    reason:
      'SQS event source mappings do not support on-failure destinations (only stream and Kafka sources do); the worker queue redrives failed messages to its dead-letter queue after 5 receives',
    scope: (s) => [s.worker.function],
  },
  {
    rule: 'Serverless-LambdaTracing',
    reason:
      'X-Ray is off for now: it needs xray:PutTraceSegments on Resource * (an IAM5 wildcard) and the Powertools tracer is not wired; the Duration p99 alarm, REPORT init durations and request-ID logs cover the 3-second Slack budget',
    scope: allFunctions,
  },
];

/** The pack prefix cdk-nag 3 puts before a rule in an acknowledgement ID. */
function packOf(rule: string): string {
  return rule.slice(0, rule.indexOf('-'));
}

/** The exact IDs `Validations.acknowledge` needs for one entry. */
export function acknowledgementIds(entry: NagAcknowledgement, stack: KeptStack): string[] {
  const base = `${packOf(entry.rule)}::${entry.rule}`;
  return entry.findings ? entry.findings(stack).map((f) => `${base}[${f}]`) : [base];
}

export function applyNagAcknowledgements(stack: KeptStack): void {
  for (const entry of NAG_ACKNOWLEDGEMENTS) {
    for (const scope of entry.scope(stack)) {
      for (const id of acknowledgementIds(entry, stack)) {
        Validations.of(scope).acknowledge({ id, reason: entry.reason });
      }
    }
  }
}
