/**
 * "Why this due time?": `/sla explain ID` and the card's button. The answer only the asker sees:
 * for each target, the stretches counted and skipped up to its due instant (domain/explain.ts,
 * views/explain.ts), in the asker's time zone (users.info; the provider's when Slack does not
 * say). Anyone who may run `/sla show ID` may ask. Reads only; writes nothing.
 */

import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { findDepartment } from '../../domain/directory';
import { explainRequest } from '../../domain/explain';
import { noSuchRequest } from '../../domain/privacy';
import { parseRequestId } from '../../domain/request';
import { logger } from '../../log';
import { calendarOf } from '../../services/calendars';
import { visibleRequest } from '../../services/visible';
import { IDS } from '../ids';
import { explainMessage, zoneOrFallback } from '../views/explain';
import { escapeMrkdwn } from '../views/format';
import type { ListenerDeps } from './deps';
import { type Ephemeral, refuse, say } from './reply';

/** The person's time zone as Slack knows it; undefined when Slack does not answer. */
async function readerZone(client: WebClient, user: string): Promise<string | undefined> {
  try {
    return (await client.users.info({ user })).user?.tz;
  } catch (err) {
    logger.warn('explain: time zone not read', { error: (err as Error).message });
    return undefined;
  }
}

/** The explanation of request `arg` for `user`, or one line saying what is wrong. */
export async function explainCommand(
  deps: ListenerDeps,
  client: WebClient,
  user: string,
  arg: string | undefined,
): Promise<Ephemeral> {
  const id = arg ? parseRequestId(arg) : undefined;
  if (!id)
    return say(
      arg
        ? `"${escapeMrkdwn(arg.slice(0, 30))}" is not a request ID; write it like \`/sla explain IT-42\`. \`/sla list\` shows yours.`
        : 'Which request? Write its ID, e.g. `/sla explain IT-42`. `/sla list` shows yours.',
    );
  const [seen, tz] = await Promise.all([
    visibleRequest(deps.db, id, user, deps.config.KEPT_ADMINS),
    readerZone(client, user),
  ]);
  if (!seen) return say(noSuchRequest(id));
  const { request, dir } = seen;
  const provider = findDepartment(dir, request.provider);
  if (!provider) return say(`${id} belongs to a department that no longer exists in Kept.`);
  const calendar = calendarOf(provider);
  const message = explainMessage({
    request,
    explanations: explainRequest(request, calendar, deps.now().getTime()),
    providerName: provider.name,
    calendar: calendar.spec,
    zone: zoneOrFallback(tz, calendar.zone),
  });
  return { response_type: 'ephemeral', text: message.text, blocks: message.blocks };
}

/** The card's "Why this due time?" button: the same answer, to the presser only. */
export function registerRequestExplain(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(IDS.requestAction.explain, async ({ ack, body, action, respond, client }) => {
    await ack();
    const id = parseRequestId(action.value ?? '');
    if (!id) return refuse(respond, 'That button is from an older version of Kept; use `/sla explain ID`.');
    const answer = await explainCommand(deps, client, body.user.id, id);
    await respond({ ...answer, replace_original: false } as Parameters<typeof respond>[0]);
  });
}
