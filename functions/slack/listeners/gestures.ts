/**
 * The request gestures (reactions.ts decides which reactions they are, from the event alone):
 *
 * - 🎫 on a person's message: its reactor gets an offer, only they see, with a button that opens the
 *   new-request form prefilled with the message (requests-filing.ts). Nothing is filed until they
 *   submit; one offer per person and message however often Slack sends it or they react again.
 * - 👀 on a card: the provider's member who reacted takes the request (the assign action).
 * - ✅ on a card: resolving needs a line for the requester (and a cause once a target is missed), so
 *   the provider's member gets a Resolve button that opens the usual resolve form.
 *
 * Anyone else gets a one-line explanation only they see, and nothing changes. A 👀 or ✅ on a
 * message that is not a card costs one GetItem (its thread pointer) and does nothing.
 */
import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { reactionKey } from '../../domain/kudos';
import { logger } from '../../log';
import { act, mayDo } from '../../services/requests';
import { once, SLACK_LEASE_MS } from '../../store/deliveries';
import { readDirectory } from '../../store/directory';
import { findThread } from '../../store/request-slack';
import { postDm } from '../dm';
import { type GestureReaction, gestureOf } from '../reactions';
import { type SlackMessage, section } from '../views/blocks';
import { escapeMrkdwn } from '../views/format';
import { fileOffer, fileOfferRefused, KEPT_OWN_MESSAGE, resolveOffer } from '../views/gestures';
import type { ListenerDeps } from './deps';
import { filingRefusal } from './requests-filing';

/**
 * Tells the reactor privately, in the channel of the message (chat.postEphemeral); where Slack
 * refuses that (a DM with someone else, Kept not in the channel), by DM instead.
 */
async function tellReactor(client: WebClient, r: GestureReaction, message: SlackMessage): Promise<void> {
  try {
    await client.chat.postEphemeral({ channel: r.channel, user: r.user, text: message.text, blocks: message.blocks });
  } catch (err) {
    logger.info('gesture answer not shown in the channel; sent by DM', { error: (err as Error).message });
    await postDm(client, r.user, message, `${r.gesture} reaction`);
  }
}

const say = (text: string): SlackMessage => ({ text, blocks: [section(text)] });

export function registerGestures(app: App, deps: ListenerDeps): void {
  const keptUser = (context: { botUserId?: string }) => context.botUserId ?? deps.config.SLACK_BOT_USER_ID;

  // An offer once used gives way to a line saying so (the form itself is the listener's for that
  // button: this only changes the offer, through the click's response_url).
  app.action({ block_id: /^(request_file_offer|request_resolve_offer:.+)$/ }, async ({ body, respond }) => {
    const blockId = (body as { actions?: { block_id?: string }[] }).actions?.[0]?.block_id ?? '';
    const id = blockId.startsWith('request_resolve_offer:')
      ? blockId.slice('request_resolve_offer:'.length)
      : undefined;
    const text = id
      ? `:white_check_mark: You opened the form to resolve ${escapeMrkdwn(id)}.`
      : ':ticket: You opened the form to file this message. Nothing is filed until you submit it.';
    await respond({ replace_original: true, text }).catch(() => {});
  });

  app.event('reaction_added', async ({ event, client, context }) => {
    const r = gestureOf(event);
    if (!r) return;
    const key = reactionKey({ user: r.user, channel: r.channel, ts: r.ts, emoji: r.emoji });

    if (r.gesture === 'file') {
      if (r.author && r.author === keptUser(context)) return tellReactor(client, r, say(KEPT_OWN_MESSAGE));
      // One offer per person and message: Slack's retries, and reacting again after removing it.
      const done = await once(
        deps.db,
        `ticket-offer:${r.user}:${r.channel}:${r.ts}`,
        { leaseMs: SLACK_LEASE_MS, now: deps.now },
        async () => {
          const why = filingRefusal(deps, await readDirectory(deps.db), r.user);
          await tellReactor(client, r, why ? fileOfferRefused(why) : fileOffer(r));
        },
      );
      if (done === 'already-done') logger.info('filing already offered for this message');
      return;
    }

    const thread = await findThread(deps.db, r.channel, r.ts);
    if (thread?.where !== 'card') return; // not a card: 👀 and ✅ mean nothing here
    const { id } = thread;

    if (r.gesture === 'take') {
      const result = await act(deps.db, {
        admins: deps.config.KEPT_ADMINS,
        id,
        user: r.user,
        action: { type: 'assign', assignee: r.user },
        delivery: `reaction:${key}`,
        now: deps.now(),
      });
      if (result.outcome === 'done') return deps.outbox.send({ type: 'request.changed', id });
      if (result.outcome === 'refused') await tellReactor(client, r, say(result.message));
      return;
    }

    // ✅: offer the resolve form (once per person and card), or say why not.
    await once(deps.db, `resolve-offer:${key}`, { leaseMs: SLACK_LEASE_MS, now: deps.now }, async () => {
      const may = await mayDo(deps.db, {
        admins: deps.config.KEPT_ADMINS,
        id,
        user: r.user,
        type: 'resolve',
        now: deps.now(),
      });
      await tellReactor(client, r, may.outcome === 'allowed' ? resolveOffer(id, may.missed) : say(may.message));
    });
  });
}
