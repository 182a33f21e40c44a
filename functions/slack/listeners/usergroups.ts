/**
 * Slack's `subteam_members_changed` event (scope usergroups:read): a user group's members changed,
 * so every department using that group is handed to the worker to read its members again. Someone
 * added to @it-team can work IT's requests a moment later, not an hour later. And `user_change`
 * (scope users:read) with `deleted: true`: a person left, handed to the worker as `person.left`.
 */
import type { App } from '@slack/bolt';
import { SLACK_USER_ID } from '../../domain/department';
import { logger } from '../../log';
import { readDirectory } from '../../store/directory';
import * as z from '../../zod';
import type { ListenerDeps } from './deps';

const MembersChanged = z.object({ subteam_id: z.string().check(z.regex(/^S[A-Z0-9]+$/)) });
/** `user_change` carries the whole user; only a deactivation (`deleted: true`) matters here. */
const UserChanged = z.object({
  user: z.object({ id: z.string().check(z.regex(SLACK_USER_ID)), deleted: z.optional(z.boolean()) }),
});

export function registerUsergroupEvents(app: App, deps: ListenerDeps): void {
  app.event('subteam_members_changed', async ({ event }) => {
    const parsed = MembersChanged.safeParse(event);
    if (!parsed.success) return logger.warn('subteam_members_changed without a user group id; ignored');
    const departments = (await readDirectory(deps.db)).departments.filter(
      (d) => d.usergroup === parsed.data.subteam_id,
    );
    for (const d of departments) await deps.outbox.send({ type: 'usergroups.sync', department: d.id });
  });

  // Someone left (their account was deactivated): the worker takes them off departments, requests
  // and proposals (jobs/people.ts). Re-sent events are leased, and the work is idempotent anyway.
  app.event('user_change', async ({ event }) => {
    const parsed = UserChanged.safeParse(event);
    if (!parsed.success || parsed.data.user.deleted !== true) return;
    await deps.outbox.send({ type: 'person.left', user: parsed.data.user.id });
  });
}
