/**
 * The Kept stack: one table, the Slack signing secret and bot token, the Slack endpoint, the worker queue, the scheduled
 * jobs and their alarms. Every permission a function gets is granted in this file, so a reviewer
 * can read the whole access model in one place.
 */
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { FUNCTION_STORE_CALLS, type FunctionName, grantFor } from './access';
import { Alarms } from './constructs/alarms';
import { Jobs } from './constructs/jobs';
import type { KeptFunction } from './constructs/kept-function';
import { SlackApi } from './constructs/slack-api';
import { KeptTable } from './constructs/table';
import { Worker } from './constructs/worker';
import { applyNagAcknowledgements } from './nag-acknowledgements';
import type { KeptSettings } from './settings';

/** Slack function p99 above this raises an alarm; Slack drops requests not answered in 3 s. */
export const SLACK_P99_LIMIT = Duration.millis(2500);

export interface KeptStackProps extends StackProps {
  readonly settings: KeptSettings;
}

export class KeptStack extends Stack {
  readonly table: KeptTable;
  /** The Slack signing secret: only the Slack function may read it. */
  readonly signingSecret: secretsmanager.Secret;
  readonly signingSecretName: string;
  /** The Slack bot token: every function reads it. */
  readonly botToken: secretsmanager.Secret;
  readonly botTokenName: string;
  readonly worker: Worker;
  readonly slackApi: SlackApi;
  readonly jobs: Jobs;
  readonly alarms: Alarms;

  constructor(scope: Construct, id: string, props: KeptStackProps) {
    super(scope, id, props);
    const { settings } = props;

    // Construct IDs below name CloudFormation logical IDs. Renaming 'Store' would create a new,
    // empty table (the old one is retained, not migrated); rename nothing here once deployed.
    this.table = new KeptTable(this, 'Store');

    // Two secrets, so each function reads only what it needs: the signing secret reaches only the
    // Slack function, which checks signatures; the bot token reaches all four. Each is created with
    // a random placeholder that is not JSON, so the functions refuse to start until an operator
    // stores the real value with `aws secretsmanager put-secret-value` (docs/deploy.md). The template
    // never contains a Slack credential; functions get only the ARNs. `kept/…` for the default
    // stack; another stack name (a staging copy) gets its own secrets.
    const prefix = settings.stackName.toLowerCase();
    this.signingSecretName = `${prefix}/slack-signing-secret`;
    this.signingSecret = new secretsmanager.Secret(this, 'SlackSigningSecret', {
      secretName: this.signingSecretName,
      description:
        'Kept Slack signing secret, read only by the Slack function: a JSON object with the key SLACK_SIGNING_SECRET (docs/deploy.md)',
    });
    this.botTokenName = `${prefix}/slack-bot-token`;
    this.botToken = new secretsmanager.Secret(this, 'SlackBotToken', {
      secretName: this.botTokenName,
      description: 'Kept Slack bot token: a JSON object with the key SLACK_BOT_TOKEN (docs/deploy.md)',
    });

    const common: Record<string, string> = {
      KEPT_TABLE: this.table.table.tableName,
      KEPT_SLACK_BOT_TOKEN_ARN: this.botToken.secretArn,
      KEPT_ADMINS: settings.admins,
      ...(settings.slackApiUrl ? { SLACK_API_URL: settings.slackApiUrl } : {}),
      ...(settings.slackTeamId ? { SLACK_TEAM_ID: settings.slackTeamId } : {}),
      ...(settings.slackEnterpriseId ? { SLACK_ENTERPRISE_ID: settings.slackEnterpriseId } : {}),
      ...(settings.externalTeams ? { KEPT_EXTERNAL_TEAMS: settings.externalTeams } : {}),
      ...(settings.retentionMonths !== undefined ? { KEPT_RETENTION_MONTHS: String(settings.retentionMonths) } : {}),
    };

    this.worker = new Worker(this, 'Work', { environment: common });
    // The functions that answer Slack or run on a schedule may hand slow work to the worker.
    const handsOff = { ...common, KEPT_QUEUE_URL: this.worker.queue.queueUrl };
    this.slackApi = new SlackApi(this, 'SlackEndpoint', {
      environment: { ...handsOff, KEPT_SLACK_SIGNING_SECRET_ARN: this.signingSecret.secretArn },
    });
    this.jobs = new Jobs(this, 'Jobs', { environment: handsOff });

    // Grants, one role per function. Each may send only the item actions its code sends, on the
    // partitions its keys are built in (lib/access.ts, table in docs/operations.md); only the worker
    // consumes the queue (granted by its event source).
    const functions: Record<FunctionName, KeptFunction> = {
      Slack: this.slackApi.function,
      Scan: this.jobs.scan,
      Digest: this.jobs.digest,
      Worker: this.worker.function,
    };
    for (const [name, fn] of Object.entries(functions) as [FunctionName, KeptFunction][]) {
      this.table.grantAccess(fn.role, grantFor(FUNCTION_STORE_CALLS[name]));
      this.grantSecretValue(fn.role, this.botToken);
    }
    this.grantSecretValue(this.slackApi.function.role, this.signingSecret);
    for (const fn of [this.slackApi.function, this.jobs.scan, this.jobs.digest]) {
      this.worker.queue.grantSendMessages(fn.role);
    }

    // What each alarm means and what to do: docs/operations.md. The functions' own counts are EMF log
    // lines (functions/metrics.ts), which need no permission beyond writing their log group.
    this.alarms = new Alarms(this, 'Alarms');
    for (const [name, fn] of Object.entries(functions)) {
      this.alarms.onErrors(name, fn.fn);
      this.alarms.onThrottles(name, fn.fn);
    }
    this.alarms.onDeadLetters('Worker', this.worker.deadLetterQueue);
    this.alarms.onDeadLetters('Jobs', this.jobs.deadLetterQueue);
    this.alarms.onSlowP99('Slack', this.slackApi.function.fn, SLACK_P99_LIMIT);
    this.alarms.onScanLag();
    this.alarms.onJobFailures();
    this.alarms.onApiServerErrors(this.slackApi.api);
    this.alarms.onApiThrottled(this.slackApi.accessLogs);
    this.alarms.onQueueAge('Worker', this.worker.queue);
    this.alarms.onTableThrottles(this.table.table);

    applyNagAcknowledgements(this);

    new CfnOutput(this, 'SlackRequestUrl', {
      description: 'Paste into the Slack app manifest: slash commands, interactivity and event subscriptions',
      value: this.slackApi.requestUrl,
    });
    new CfnOutput(this, 'SlackSigningSecretName', {
      description: 'Store the Slack signing secret here with aws secretsmanager put-secret-value',
      value: this.signingSecretName,
    });
    new CfnOutput(this, 'SlackBotTokenName', {
      description: 'Store the Slack bot token here with aws secretsmanager put-secret-value',
      value: this.botTokenName,
    });
    new CfnOutput(this, 'TableName', { value: this.table.table.tableName });
    new CfnOutput(this, 'AlarmTopicArn', {
      description: 'Subscribe an email address to receive alarms',
      value: this.alarms.topic.topicArn,
    });
    new CfnOutput(this, 'WorkerDeadLetterQueueUrl', { value: this.worker.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'JobsDeadLetterQueueUrl', { value: this.jobs.deadLetterQueue.queueUrl });
  }

  /** GetSecretValue on `secret` only: not DescribeSecret, not `*`. */
  private grantSecretValue(role: iam.IGrantable, secret: secretsmanager.Secret): void {
    iam.Grant.addToPrincipal({
      grantee: role,
      actions: ['secretsmanager:GetSecretValue'],
      resourceArns: [secret.secretArn],
    });
  }
}
