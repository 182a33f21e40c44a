/**
 * When Slack refuses the request card for the provider's channel (Kept is not in a private channel,
 * the channel is gone or archived), nobody in the provider department would see the request. Its
 * heads get the card by DM with what to fix; the requester is told the card is not in the channel yet.
 */
import type { KnownBlock } from '@slack/types';
import { MAX_MESSAGE_BLOCKS, type SlackMessage, section } from './blocks';
import { escapeMrkdwn, mentionChannel } from './format';
import { type CardInput, requestCard } from './requests';

/** Slack's answers to a post that no retry will change, in words a department head can act on. */
export const CHANNEL_PROBLEMS: Readonly<Record<string, string>> = {
  not_in_channel: 'Kept is not a member of it',
  channel_not_found: 'Slack cannot find it for Kept (a private channel Kept was never invited to looks like this)',
  is_archived: 'it is archived',
};

export const isChannelProblem = (code: string | undefined): code is string =>
  code !== undefined && code in CHANNEL_PROBLEMS;

export interface CardBlockedInput extends CardInput {
  channel: string;
  /** Slack's error code (a key of CHANNEL_PROBLEMS). */
  problem: string;
  providerId: string;
}

/** The DM to each head of the provider: what is wrong with the channel, how to fix it, and the card itself (no buttons). */
export function cardBlockedNotice(input: CardBlockedInput): SlackMessage {
  const id = escapeMrkdwn(input.request.id);
  const why = CHANNEL_PROBLEMS[input.problem] ?? `Slack answered \`${escapeMrkdwn(input.problem)}\``;
  const lead =
    `:warning: *${id}* was filed with ${escapeMrkdwn(input.providerName)}, but Kept cannot post its card in ${mentionChannel(input.channel)}: ${why}. ` +
    `Invite Kept there (\`/invite @Kept\` in the channel), or ask a Kept admin to move ${escapeMrkdwn(input.providerName)} to another channel with \`/sla dept channel ${escapeMrkdwn(input.providerId)} #channel\`. ` +
    `The card is posted at the request's next change; meanwhile work it with \`/sla ack ${id}\` and \`/sla show ${id}\`.`;
  const card = requestCard(input);
  const blocks: KnownBlock[] = [section(lead), { type: 'divider' }, ...card.blocks.filter((b) => b.type !== 'actions')];
  return {
    text: `${id} cannot be posted in its channel: ${why}. ${card.text}`,
    blocks: blocks.slice(0, MAX_MESSAGE_BLOCKS),
  };
}
