/**
 * Deployment settings, read once from CDK context (`-c kept:xyz=...` or cdk.json) and checked at
 * synth time, so a typo fails `cdk synth` instead of a deployment or the first scheduled run.
 */
import type { Node } from 'constructs';
import { DEFAULT_DIGEST, digestScheduleExpression } from '../functions/jobs/schedule';

export interface KeptSettings {
  /** CloudFormation stack name (`kept:stackName`). */
  readonly stackName: string;
  /** Comma-separated Slack user IDs with admin rights (`kept:admins`), passed as KEPT_ADMINS. */
  readonly admins: string;
  /** EventBridge Scheduler cron for the weekly digest (`kept:digestCron`). */
  readonly digestCron: string;
  /** IANA time zone the digest cron is evaluated in (`kept:digestTimezone`). */
  readonly digestTimezone: string;
  /** Slack API base URL override (`kept:slackApiUrl`), for a fake Slack in staging. */
  readonly slackApiUrl?: string;
}

export const DEFAULT_SETTINGS = {
  stackName: 'Kept',
  admins: '',
  // The same default the local scheduler uses (functions/jobs/schedule.ts).
  digestCron: digestScheduleExpression(DEFAULT_DIGEST),
  digestTimezone: DEFAULT_DIGEST.timezone,
} as const;

export class SettingsError extends Error {
  constructor(key: string, problem: string) {
    super(`CDK context ${key} ${problem}`);
    this.name = 'SettingsError';
  }
}

function text(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null) return undefined;
  const s = String(value).trim();
  return s === '' ? undefined : s;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Reads and validates the `kept:*` context keys; throws SettingsError naming the bad key. */
export function readSettings(node: Node): KeptSettings {
  const stackName = text(node, 'kept:stackName') ?? DEFAULT_SETTINGS.stackName;
  if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(stackName)) {
    throw new SettingsError('kept:stackName', 'must start with a letter and contain only letters, digits and "-"');
  }
  const admins = text(node, 'kept:admins') ?? DEFAULT_SETTINGS.admins;
  const adminIds = admins.split(',').map((id) => id.trim()).filter(Boolean);
  if (!adminIds.every((id) => /^[UW][A-Z0-9]{2,}$/.test(id))) {
    throw new SettingsError('kept:admins', 'must be Slack user IDs separated by commas, like U0123ABCD,U0456EFGH');
  }
  const digestCron = text(node, 'kept:digestCron') ?? DEFAULT_SETTINGS.digestCron;
  // Scheduler cron has six fields: minutes hours day-of-month month day-of-week year.
  if (!/^cron\((\S+\s+){5}\S+\)$/.test(digestCron)) {
    throw new SettingsError('kept:digestCron', 'must be an EventBridge Scheduler cron with six fields, like cron(0 9 ? * MON *)');
  }
  const digestTimezone = text(node, 'kept:digestTimezone') ?? DEFAULT_SETTINGS.digestTimezone;
  if (!isTimeZone(digestTimezone)) {
    throw new SettingsError('kept:digestTimezone', 'must be an IANA time zone such as America/New_York or Europe/Berlin');
  }
  const slackApiUrl = text(node, 'kept:slackApiUrl');
  if (slackApiUrl !== undefined && !/^https?:\/\/\S+$/.test(slackApiUrl)) {
    throw new SettingsError('kept:slackApiUrl', 'must be an http(s) URL such as https://slack.com/api/');
  }
  return { stackName, admins: adminIds.join(','), digestCron, digestTimezone, ...(slackApiUrl ? { slackApiUrl } : {}) };
}
