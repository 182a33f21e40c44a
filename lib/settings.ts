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
  /** The installed workspace (`kept:slackTeamId`, SLACK_TEAM_ID): set, no function asks Slack for it on a cold start. */
  readonly slackTeamId?: string;
  /** Under Enterprise Grid, the organisation (`kept:slackEnterpriseId`, SLACK_ENTERPRISE_ID). */
  readonly slackEnterpriseId?: string;
  /** Slack Connect organisations let in (`kept:externalTeams`, KEPT_EXTERNAL_TEAMS). */
  readonly externalTeams?: string;
  /** Months a closed request keeps its text (`kept:retentionMonths`, KEPT_RETENTION_MONTHS). */
  readonly retentionMonths?: number;
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
  const slackTeamId = text(node, 'kept:slackTeamId');
  if (slackTeamId !== undefined && !/^T[A-Z0-9]+$/.test(slackTeamId))
    throw new SettingsError('kept:slackTeamId', 'must be the Slack workspace ID, like T0123ABCD');
  const slackEnterpriseId = text(node, 'kept:slackEnterpriseId');
  if (slackEnterpriseId !== undefined && !/^E[A-Z0-9]+$/.test(slackEnterpriseId))
    throw new SettingsError('kept:slackEnterpriseId', 'must be the Enterprise Grid organisation ID, like E0123ABCD');
  const external = (text(node, 'kept:externalTeams') ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  if (!external.every((id) => /^T[A-Z0-9]+$/.test(id)))
    throw new SettingsError(
      'kept:externalTeams',
      'must be Slack workspace IDs separated by commas, like T0123ABCD,T0456EFGH',
    );
  const retention = text(node, 'kept:retentionMonths');
  const retentionMonths = retention === undefined ? undefined : Number(retention);
  if (
    retentionMonths !== undefined &&
    !(Number.isInteger(retentionMonths) && retentionMonths >= 1 && retentionMonths <= 240)
  )
    throw new SettingsError('kept:retentionMonths', 'must be a whole number of months between 1 and 240');
  return {
    stackName,
    admins: adminIds.join(','),
    ...(slackApiUrl ? { slackApiUrl } : {}),
    ...(slackTeamId ? { slackTeamId } : {}),
    ...(slackEnterpriseId ? { slackEnterpriseId } : {}),
    ...(external.length > 0 ? { externalTeams: external.join(',') } : {}),
    ...(retentionMonths !== undefined ? { retentionMonths } : {}),
  };
}
