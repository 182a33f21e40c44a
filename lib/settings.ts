/**
 * Deployment settings, read once from CDK context (`-c kept:xyz=...` or cdk.json) and checked at
 * synth time, so a typo fails `cdk synth` instead of a deployment or the first scheduled run.
 */
import type { Node } from 'constructs';

export interface KeptSettings {
  /** CloudFormation stack name (`kept:stackName`). */
  readonly stackName: string;
  /** Comma-separated Slack user IDs with admin rights (`kept:admins`), passed as KEPT_ADMINS. */
  readonly admins: string;
  /** Slack API base URL override (`kept:slackApiUrl`, https only), for a fake Slack in staging. */
  readonly slackApiUrl?: string;
}

export const DEFAULT_SETTINGS = {
  stackName: 'Kept',
  admins: '',
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

/** Reads and validates the `kept:*` context keys; throws SettingsError naming the bad key. */
export function readSettings(node: Node): KeptSettings {
  const stackName = text(node, 'kept:stackName') ?? DEFAULT_SETTINGS.stackName;
  if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(stackName)) {
    throw new SettingsError('kept:stackName', 'must start with a letter and contain only letters, digits and "-"');
  }
  const admins = text(node, 'kept:admins') ?? DEFAULT_SETTINGS.admins;
  const adminIds = admins
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  if (!adminIds.every((id) => /^[UW][A-Z0-9]{2,}$/.test(id))) {
    throw new SettingsError('kept:admins', 'must be Slack user IDs separated by commas, like U0123ABCD,U0456EFGH');
  }
  // The digest's weekday, time and zone are per channel now (the import file's `digest` section).
  for (const key of ['kept:digestCron', 'kept:digestTimezone']) {
    if (text(node, key) !== undefined) {
      throw new SettingsError(
        key,
        'is no longer used: each digest channel has its own weekday, time and timezone in the digest section of the import file (kept import)',
      );
    }
  }
  const slackApiUrl = text(node, 'kept:slackApiUrl');
  // The functions send the bot token with every call: never over plain http (functions/config.ts refuses it too).
  if (slackApiUrl !== undefined && !/^https:\/\/\S+$/.test(slackApiUrl)) {
    throw new SettingsError(
      'kept:slackApiUrl',
      'must be an https URL such as https://slack.com/api/ (plain http would send the bot token unencrypted)',
    );
  }
  return { stackName, admins: adminIds.join(','), ...(slackApiUrl ? { slackApiUrl } : {}) };
}
