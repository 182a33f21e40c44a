/**
 * Slack's `subteam_members_changed` event (scope usergroups:read): a user group's members changed,
 * so every department using that group is handed to the worker to read its members again. Someone
 * added to @it-team can work IT's requests a moment later, not an hour later.
 */
import type { App } from '@slack/bolt';
import { z } from 'zod';
import { logger } from '../../log';
import { readDirectory } from '../../store/directory';
import type { ListenerDeps } from './deps';

const MembersChanged = z.object({ subteam_id: z.string().regex(/^S[A-Z0-9]+$/) });

export function registerUsergroupEvents(app: App, deps: ListenerDeps): void {
  app.event('subteam_members_changed', async ({ event }) => {
    const parsed = MembersChanged.safeParse(event);
    if (!parsed.success) return logger.warn('subteam_members_changed without a user group id; ignored');
    const departments = (await readDirectory(deps.db)).departments.filter(
      (d) => d.usergroup === parsed.data.subteam_id,
    );
    for (const d of departments) await deps.outbox.send({ type: 'usergroups.sync', department: d.id });
  });
}
