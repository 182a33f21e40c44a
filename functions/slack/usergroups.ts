/**
 * Department members that come from a Slack user group: asked of Slack with
 * `usergroups.users.list` and kept on the department, so membership checks never wait on
 * Slack. Read when a group is set (import, `/sla dept group`), when Slack says its members changed
 * (`subteam_members_changed`, listeners/usergroups.ts), and by the quarter-hourly job once a group's
 * copy is an hour old (jobs/usergroups.ts), in case an event was missed.
 */
import { ErrorCode, type WebClient } from '@slack/web-api';
import { usergroupStale } from '../domain/department';
import type { Directory } from '../domain/directory';
import { logger } from '../log';
import type { Metrics } from '../metrics';
import type { Db } from '../store/client';
import { cacheUsergroupMembers } from '../store/departments';
import * as z from '../zod';

export const USERGROUP_MAX_AGE_MS = 60 * 60 * 1000;

const UsersList = z.object({ users: z._default(z.array(z.string()), []) });

export interface UsergroupSync {
  synced: string[];
  /** `lasting`: Slack refused outright (the group is gone, a scope is missing): a retry would not help. */
  failed: { department: string; usergroup: string; error: string; lasting: boolean }[];
}

/**
 * Refreshes every department whose user group was never read or was read more than `maxAgeMs` ago.
 * A group that could not be read keeps its old members and is counted (UsergroupReadStale).
 */
export async function syncUsergroups(
  db: Db,
  slack: WebClient,
  dir: Directory,
  {
    now = new Date(),
    maxAgeMs = USERGROUP_MAX_AGE_MS,
    metrics,
  }: { now?: Date; maxAgeMs?: number; metrics?: Metrics } = {},
): Promise<UsergroupSync> {
  const result: UsergroupSync = { synced: [], failed: [] };
  for (const d of dir.departments) {
    if (!d.usergroup || !usergroupStale(d, now.getTime(), maxAgeMs)) continue;
    try {
      const answer = UsersList.parse(await slack.usergroups.users.list({ usergroup: d.usergroup }));
      await cacheUsergroupMembers(db, d.id, d.usergroup, answer.users, now.toISOString());
      result.synced.push(d.id);
    } catch (err) {
      const error = (err as { data?: { error?: string } }).data?.error ?? (err as Error).message;
      const lasting = (err as { code?: string }).code === ErrorCode.PlatformError;
      logger.warn('user group not read', { department: d.id, usergroup: d.usergroup, error, lasting });
      result.failed.push({ department: d.id, usergroup: d.usergroup, error, lasting });
      metrics?.count('UsergroupReadStale');
    }
  }
  return result;
}
