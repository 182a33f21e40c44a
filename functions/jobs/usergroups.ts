/**
 * The quarter-hourly job's safety net for user groups: each department whose group members were read
 * from Slack an hour ago or more (or never) is handed to the worker to be read again. Slack's
 * `subteam_members_changed` event usually gets there first; this covers a missed event.
 */
import { usergroupStale } from '../domain/department';
import { USERGROUP_MAX_AGE_MS } from '../slack/usergroups';
import { readDirectory } from '../store/directory';
import type { JobDeps } from './scan';

/** Hands the stale groups to the worker; returns their departments. */
export async function refreshStaleUsergroups(deps: Pick<JobDeps, 'db' | 'outbox'>, now: Date): Promise<string[]> {
  if (!deps.outbox) return [];
  const stale = (await readDirectory(deps.db)).departments.filter((d) =>
    usergroupStale(d, now.getTime(), USERGROUP_MAX_AGE_MS),
  );
  for (const d of stale) await deps.outbox.send({ type: 'usergroups.sync', department: d.id });
  return stale.map((d) => d.id);
}
