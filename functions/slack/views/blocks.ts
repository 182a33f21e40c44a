/**
 * Block Kit building blocks shared by every view: Slack's limits, the message shape, the small
 * block builders, the modal skeleton and `capGroups` to stay under a block cap. The text that goes
 * into them is made in format.ts.
 */
import type {
  Button,
  ContextBlock,
  HeaderBlock,
  KnownBlock,
  ModalView,
  PlainTextOption,
  SectionBlock,
} from '@slack/types';
import { clip, cut } from './format';

// ---------------------------------------------------------------------------------------------
// Slack's limits

export const MAX_MESSAGE_BLOCKS = 50;
export const MAX_MODAL_BLOCKS = 100;
export const MAX_SECTION_TEXT = 3000;
/** A section field. */
export const MAX_FIELD_TEXT = 2000;
export const MAX_OPTION_TEXT = 75;
export const MAX_METADATA = 3000;
/** Elements in one actions block. */
export const MAX_ACTION_ELEMENTS = 25;
/** Elements in one context block. */
export const MAX_CONTEXT_ELEMENTS = 10;
export const MAX_HEADER_TEXT = 150;
export const MAX_MODAL_TITLE = 24;
/** Options in one select. */
export const MAX_SELECT_OPTIONS = 100;

/** A message: the fallback text (notifications, clients without blocks) and its blocks. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** What a modal's inputs hold when it is submitted or redrawn (`view.state.values`), as far as Kept's inputs fill it. */
export type ModalValues = Record<
  string,
  | Record<
      string,
      | { value?: string | null; selected_option?: { value: string } | null; selected_users?: string[] | null }
      | undefined
    >
  | undefined
>;

// ---------------------------------------------------------------------------------------------
// Blocks and elements

export const plain = (text: string) => ({ type: 'plain_text' as const, text });

/** A mrkdwn section, cut to Slack's limit. */
export const section = (text: string): SectionBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: cut(text, MAX_SECTION_TEXT) },
});

/** A context block of mrkdwn texts, each cut to Slack's limit (at most 10 of them). */
export const context = (...texts: string[]): ContextBlock => ({
  type: 'context',
  elements: texts
    .slice(0, MAX_CONTEXT_ELEMENTS)
    .map((text) => ({ type: 'mrkdwn' as const, text: cut(text, MAX_SECTION_TEXT) })),
});

/** A header, clipped to Slack's 150 characters. */
export const header = (text: string): HeaderBlock => ({ type: 'header', text: plain(clip(text, MAX_HEADER_TEXT)) });

export function button(actionId: string, text: string, value: string, style?: 'primary' | 'danger'): Button {
  return { type: 'button', action_id: actionId, text: plain(text), value, ...(style ? { style } : {}) };
}

/** A select option whose text is clipped to Slack's 75 characters. */
export const option = (value: string, text: string): PlainTextOption => ({
  text: plain(clip(text, MAX_OPTION_TEXT)),
  value,
});

/** A modal: its title is clipped to Slack's 24 characters; submit and close are button labels. */
export function modal(input: {
  callbackId?: string;
  title: string;
  submit?: string;
  close: string;
  metadata?: string;
  blocks: KnownBlock[];
}): ModalView {
  return {
    type: 'modal',
    ...(input.callbackId !== undefined ? { callback_id: input.callbackId } : {}),
    title: plain(clip(input.title, MAX_MODAL_TITLE)),
    ...(input.submit !== undefined ? { submit: plain(input.submit) } : {}),
    close: plain(input.close),
    ...(input.metadata !== undefined ? { private_metadata: input.metadata } : {}),
    blocks: input.blocks,
  };
}

/** Keeps a message within `max` blocks: `blocks` grouped per item, then `and N more — …`. */
export function capGroups(
  head: KnownBlock[],
  groups: KnownBlock[][],
  more: (n: number) => string,
  max = 45,
): KnownBlock[] {
  const out = [...head];
  let used = 0;
  for (const group of groups) {
    const room = max - out.length - (used + 1 < groups.length ? 1 : 0);
    if (group.length > room) break;
    out.push(...group);
    used++;
  }
  if (used < groups.length) out.push(context(more(groups.length - used)));
  return out;
}
