/**
 * "Say thanks" in the requester's resolved DM (docs/kudos.md): the kudos form with whoever resolved
 * the request picked, the request linked and a message to change. Only the form's submit gives
 * kudos (listeners/kudos.ts: one per submit, in the quota, source `thanks`).
 */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { maySeeRequest, noSuchRequest } from '../../domain/privacy';
import { readDirectory } from '../../store/directory';
import { getRequestRecord } from '../../store/requests';
import * as z from '../../zod';
import { IDS } from '../ids';
import { kudosModal, thanksDraft } from '../views/kudos';
import { thanksOffered } from '../views/request-dms';
import type { ListenerDeps } from './deps';
import { openThenFill, refuse } from './reply';

/**
 * Whether `user` may thank the resolver of request `id` from its resolved DM: only its requester,
 * once someone other than them resolved it. The resolver is read from the request's history (one
 * read with the directory), never from the button.
 */
async function thanksOffer(
  deps: Pick<ListenerDeps, 'db' | 'config'>,
  user: string,
  id: string,
): Promise<{ refusal: string } | { request: { id: string; title: string }; resolver: string }> {
  const [record, dir] = await Promise.all([getRequestRecord(deps.db, id), readDirectory(deps.db)]);
  if (!record || !maySeeRequest(record.request, dir, user, deps.config.KEPT_ADMINS))
    return { refusal: noSuchRequest(id) };
  const { request } = record;
  if (request.requester !== user)
    return {
      refusal: `Only the person who filed ${request.id} can thank its resolver from here. To thank someone yourself, use \`/kudos @someone ${request.id} message\`.`,
    };
  const resolver = record.events
    .filter((e) => e.type === 'resolve')
    .sort((a, b) => a.seq - b.seq)
    .at(-1)?.actor;
  if (!thanksOffered(resolver, user))
    return {
      refusal: `Kept cannot tell who resolved ${request.id}, so there is nobody to pick. Thank them with \`/kudos @someone ${request.id} message\`.`,
    };
  return { request: { id: request.id, title: request.title }, resolver };
}

export function registerSayThanks(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(IDS.sayThanks, async ({ ack, body, action, respond, client }) => {
    await ack();
    const id = z.string().check(z.minLength(1), z.maxLength(40)).safeParse(action.value);
    if (!id.success) return refuse(respond, 'That button is from an older version of Kept.');
    await openThenFill(
      client,
      body.trigger_id ?? '',
      'Say thanks',
      async () => {
        const offer = await thanksOffer(deps, body.user.id, id.data);
        if ('refusal' in offer) return offer;
        return kudosModal({
          recipient: offer.resolver,
          thanks: { requestId: offer.request.id, title: offer.request.title, message: thanksDraft(offer.request.id) },
          metadata: JSON.stringify({ from: 'thanks' }),
        });
      },
      () => refuse(respond, `Slack did not open the form in time. Press Say thanks again, or use \`/kudos\`.`),
    );
  });
}
