/**
 * What the request gestures say to the person who reacted (an ephemeral in the channel, or a DM):
 * the 🎫 offer with its "File as request" button, the ✅ offer with its Resolve button, and the
 * short explanations when a gesture does nothing. Pure functions, like the other views.
 */
import type { TargetKind } from '../../domain/target-clock';
import { IDS } from '../ids';
import { button, context, type SlackMessage, section } from './blocks';
import { escapeMrkdwn } from './format';

/** The 🎫 offer: a button that opens the new-request form with the message as its description. Nothing is filed until Submit. */
export function fileOffer(message: { channel: string; ts: string }): SlackMessage {
  const text =
    ':ticket: File this message as a request? The form opens with the message as its description and a link back to it; nothing is filed until you submit it.';
  return {
    text,
    blocks: [
      section(text),
      {
        type: 'actions',
        block_id: 'request_file_offer',
        elements: [
          button(
            IDS.fileOffered,
            'File as request',
            JSON.stringify({ channel: message.channel, ts: message.ts }),
            'primary',
          ),
        ],
      },
      context('Only you see this.'),
    ],
  };
}

/** The 🎫 reactor cannot file: why, in the filing form's own words. */
export const fileOfferRefused = (why: string): SlackMessage => ({
  text: `:ticket: ${why}`,
  blocks: [section(`:ticket: ${why}`)],
});

/** 🎫 on one of Kept's own messages (a card, a DM, a digest). */
export const KEPT_OWN_MESSAGE =
  ":ticket: That is one of Kept's own messages, so there is nothing to file. To work on a request, use the buttons on its card; to file a new one, react with :ticket: on the message that asks for it, or run `/sla new`.";

/** The ✅ offer on a card: resolving needs a line for the requester (and a cause, once a target is missed). */
export function resolveOffer(id: string, missed: readonly TargetKind[]): SlackMessage {
  const rid = escapeMrkdwn(id);
  const cause = missed.length > 0 ? ` ${rid} missed its ${missed.join(' and ')} target, so the form asks why too.` : '';
  const text = `:white_check_mark: Resolve ${rid}? Say in a line how it was solved: the requester reads it.${cause}`;
  return {
    text,
    blocks: [
      section(text),
      {
        type: 'actions',
        block_id: `request_resolve_offer:${id}`,
        elements: [button(IDS.requestAction.resolve, 'Resolve', id, 'primary')],
      },
    ],
  };
}
