/**
 * What kudos look like in Slack: the giver's reply, the recipient's DM, the "Give kudos" modal and
 * the App Home's kudos section. Pure functions of domain values.
 */
import type { KnownBlock, ModalView } from '@slack/types';
import { KUDOS_MESSAGE_MAX, type Kudos } from '../../domain/kudos';
import { IDS } from '../ids';
import { context, type ModalValues, modal, plain, type SlackMessage, section } from './blocks';
import { clip, escapeMrkdwn, mentionUser } from './format';

/** `<@A>`, `<@A> and <@B>`, `<@A>, <@B> and <@C>`. */
export function peopleList(users: readonly string[]): string {
  const m = users.map(mentionUser);
  return m.length <= 1 ? (m[0] ?? '') : `${m.slice(0, -1).join(', ')} and ${m.at(-1)}`;
}

const leftText = (left: number) => (left === 1 ? 'You have 1 kudos left today.' : `You have ${left} kudos left today.`);

/** The giver's answer: "Thanked <@B> and <@C>. You have 2 kudos left today." */
const valuesText = (values: readonly string[]) => values.map((v) => `#${v}`).join(' ');

export function givenReply(k: Pick<Kudos, 'recipients'>, left: number): string {
  return `Thanked ${peopleList(k.recipients)}. ${leftText(left)}`;
}

/**
 * The short public thank-you where `/kudos` was used in a channel: everyone there sees it, and the
 * recipients can react to it. What is left of the giver's quota stays between Kept and the giver.
 */
export function publicThanks(k: Pick<Kudos, 'giver' | 'recipients' | 'message' | 'values' | 'requestId'>): string {
  const extra = [k.values.length > 0 ? valuesText(k.values) : '', k.requestId ? `for ${escapeMrkdwn(k.requestId)}` : '']
    .filter(Boolean)
    .join(' · ');
  return `:tada: ${mentionUser(k.giver)} thanked ${peopleList(k.recipients)}: “${escapeMrkdwn(k.message)}”${extra ? ` (${extra})` : ''}`;
}

/** A Slack link to a message (Slack redirects it to the workspace). */
export const messageLink = (ref: { channel: string; ts: string }): string =>
  `https://slack.com/archives/${ref.channel}/p${ref.ts.replace('.', '')}`;

/** The recipient's DM. */
export function kudosDm(k: Kudos): SlackMessage {
  const others =
    k.recipients.length > 1 ? ` (with ${peopleList(k.recipients.filter((r) => r !== k.recipients[0]))})` : '';
  const lines: string[] = [];
  if (k.source === 'reaction') {
    lines.push(
      `:tada: ${mentionUser(k.giver)} gave you kudos with ${escapeMrkdwn(k.message)} on <${messageLink(k.about!)}|your message>.`,
    );
  } else {
    lines.push(`:tada: ${mentionUser(k.giver)} gave you kudos: “${escapeMrkdwn(k.message)}”`);
    const extra = [
      k.values.length > 0 ? valuesText(k.values) : '',
      k.requestId ? `for ${escapeMrkdwn(k.requestId)}` : '',
      k.about ? `<${messageLink(k.about)}|the message>` : '',
    ].filter(Boolean);
    if (extra.length > 0) lines.push(extra.join(' · '));
  }
  const text = lines.join('\n');
  return {
    text: `${mentionUser(k.giver)} gave you kudos`,
    blocks: [section(text), ...(others ? [context(`Thanked together${others}.`)] : [])],
  };
}

/** To a giver whose reaction was over the day's quota (reactions have no other reply). */
export const reactionOverQuota = (quota: number, emoji: string): string =>
  `Your :${emoji}: reaction did not give kudos: you have given your ${quota} for today. More tomorrow (midnight where you are), or thank someone with \`/kudos\` then.`;

// ---------------------------------------------------------------------------------------------
// The modal

export interface KudosModalInput {
  /** The message's author, picked already. */
  recipient?: string;
  /** The message the kudos is about. */
  about?: { channel: string; ts: string; text?: string };
  /** From a resolved request's "Say thanks": the request, already linked, and a message to edit. */
  thanks?: { requestId: string; title: string; message: string };
  /** Opaque to the view: the listener's private_metadata. */
  metadata: string;
}

export function kudosModal(input: KudosModalInput): ModalView {
  const blocks: KnownBlock[] = [];
  if (input.about) {
    const quote = input.about.text ? `\n>${escapeMrkdwn(clip(input.about.text.replace(/\s+/g, ' '), 200))}` : '';
    blocks.push(section(`About <${messageLink(input.about)}|this message>${quote}`));
  }
  if (input.thanks)
    blocks.push(
      section(
        `For ${escapeMrkdwn(input.thanks.requestId)} (*${escapeMrkdwn(clip(input.thanks.title, 150))}*). Change the words if you like: it counts as one of your kudos today.`,
      ),
    );
  blocks.push(
    {
      type: 'input',
      block_id: IDS.kudosRecipientsBlock,
      label: plain('Who are you thanking?'),
      element: {
        type: 'multi_users_select',
        action_id: IDS.value,
        placeholder: plain('Pick people'),
        max_selected_items: 10,
        ...(input.recipient ? { initial_users: [input.recipient] } : {}),
      },
    },
    {
      type: 'input',
      block_id: IDS.kudosMessageBlock,
      label: plain('What for?'),
      element: {
        type: 'plain_text_input',
        action_id: IDS.value,
        multiline: true,
        max_length: KUDOS_MESSAGE_MAX,
        placeholder: plain('Fixed my laptop before the board meeting'),
        ...(input.thanks ? { initial_value: clip(input.thanks.message, KUDOS_MESSAGE_MAX) } : {}),
      },
    },
    {
      type: 'input',
      block_id: IDS.kudosRequestBlock,
      optional: true,
      label: plain('Request ID'),
      hint: plain('Linked to a request, the kudos also counts for the department that worked it.'),
      element: {
        type: 'plain_text_input',
        action_id: IDS.value,
        max_length: 20,
        placeholder: plain('IT-42'),
        ...(input.thanks ? { initial_value: input.thanks.requestId } : {}),
      },
    },
    {
      type: 'input',
      block_id: IDS.kudosValuesBlock,
      optional: true,
      label: plain('Values'),
      element: {
        type: 'plain_text_input',
        action_id: IDS.value,
        max_length: 200,
        placeholder: plain('#ownership #speed'),
      },
    },
  );
  return modal({
    callbackId: IDS.kudosModal,
    title: 'Give kudos',
    submit: 'Send',
    close: 'Cancel',
    metadata: input.metadata,
    blocks,
  });
}

/** The words "Say thanks" puts in the form, for the giver to change. */
export const thanksDraft = (requestId: string): string =>
  `Thank you for sorting out ${requestId}: it made a real difference.`;

/** What the modal was left with. */
export function readKudosView(values: ModalValues): {
  recipients: string[];
  message: string;
  requestId: string;
  values: string;
} {
  const text = (block: string) => (values[block]?.[IDS.value]?.value ?? '').trim();
  return {
    recipients: [...new Set(values[IDS.kudosRecipientsBlock]?.[IDS.value]?.selected_users ?? [])],
    message: text(IDS.kudosMessageBlock),
    requestId: text(IDS.kudosRequestBlock),
    values: text(IDS.kudosValuesBlock),
  };
}

/** The modal after sending: what happened, and what is left today. */
export function kudosDoneView(text: string): ModalView {
  return modal({ title: 'Kudos sent', close: 'Done', blocks: [section(text)] });
}

// ---------------------------------------------------------------------------------------------
// App Home

export interface KudosHome {
  week: string;
  receivedWeek: number;
  givenWeek: number;
  receivedTotal: number;
  givenTotal: number;
  /** This week's departments, most kudos first (top 5). */
  leaderboard: { name: string; count: number }[];
}

export const HOME_LEADERS = 5;
const MEDALS = [':first_place_medal:', ':second_place_medal:', ':third_place_medal:'];

/** The App Home's kudos section: 4 blocks. */
export function kudosHomeBlocks(h: KudosHome): KnownBlock[] {
  const board =
    h.leaderboard.length === 0
      ? 'No kudos yet this week. Thank someone with `/kudos @someone message` or the “Give kudos” message shortcut.'
      : h.leaderboard
          .slice(0, HOME_LEADERS)
          .map((l, i) => `${MEDALS[i] ?? `${i + 1}.`} ${escapeMrkdwn(l.name)} — ${l.count}`)
          .join('\n');
  return [
    { type: 'divider' },
    section(
      `*Kudos*\nReceived *${h.receivedWeek}* this week (${h.receivedTotal} in all) · given *${h.givenWeek}* this week (${h.givenTotal} in all)`,
    ),
    section(`*This week's departments*\n${board}`),
    context(
      'Kudos to people count for their departments, and for the department that worked a request when one is named.',
    ),
  ];
}
