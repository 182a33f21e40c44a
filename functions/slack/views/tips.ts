/**
 * Block Kit for `/sla tips`: this week's two tips with the counts, a page of one kind's tips,
 * one tip in full, and the add/edit modal (every input answers with action_id `IDS.value`).
 * Pure functions of domain values; tip text is escaped, so a tip can never ping or link.
 */
import type { KnownBlock, ModalView } from '@slack/types';
import {
  type CatalogueEntry,
  TIP_BODY_MAX,
  TIP_KIND_LABEL,
  TIP_TITLE_MAX,
  TIP_TRY_MAX,
  type Tip,
  type TipKind,
} from '../../domain/tips';
import { IDS } from '../ids';
import { context, header, type ModalValues, modal, plain, type SlackMessage, section } from './blocks';
import { escapeMrkdwn } from './format';

/** Tips listed per page of `/sla tips list`: one block each, plus a header and a footer, well under Slack's 50. */
export const TIPS_PAGE_SIZE = 40;

const SOURCE_NOTE: Record<CatalogueEntry['source'], string> = {
  'built-in': '',
  edit: ' _(edited)_',
  custom: ' _(added by an admin)_',
};

function tipBlocks(label: string, tip: Tip): KnownBlock[] {
  return [
    section(`*${label}: ${escapeMrkdwn(tip.title)}*\n${escapeMrkdwn(tip.body)}`),
    context(`*Try this week:* ${escapeMrkdwn(tip.tryThisWeek)}  ·  \`${tip.id}\``),
  ];
}

export interface TipCounts {
  active: Record<TipKind, number>;
  custom: number;
  edited: number;
  retired: number;
}

export function tipCounts(entries: readonly CatalogueEntry[]): TipCounts {
  const active = { internal: 0, customer: 0 };
  for (const e of entries) if (!e.retired) active[e.tip.kind]++;
  return {
    active,
    custom: entries.filter((e) => e.source === 'custom').length,
    edited: entries.filter((e) => e.source === 'edit').length,
    retired: entries.filter((e) => e.retired).length,
  };
}

function countsLine(c: TipCounts): string {
  return `In rotation: ${c.active.internal} tips for serving colleagues, ${c.active.customer} for serving customers (${c.custom} added by admins, ${c.edited} edited, ${c.retired} retired). Each week shows one of each; none repeats until all of its kind have been shown.`;
}

/** `/sla tips`: this week's two tips and the counts. */
export function weekTipsMessage(
  week: string,
  picks: { internal: Tip; customer: Tip },
  counts: TipCounts,
  admin: boolean,
): SlackMessage {
  const commands = admin
    ? '`/sla tips list internal|customer` · `/sla tips show ID` · `/sla tips add internal|customer` · `/sla tips edit|retire|unretire ID`'
    : '`/sla tips list internal|customer` · `/sla tips show ID`';
  return {
    text: `This week's tips (${week}): ${picks.internal.title} / ${picks.customer.title}`,
    blocks: [
      header(`This week's tips (${week})`),
      ...tipBlocks(TIP_KIND_LABEL.internal, picks.internal),
      ...tipBlocks(TIP_KIND_LABEL.customer, picks.customer),
      { type: 'divider' },
      context(`${countsLine(counts)}\n${commands}`),
    ],
  };
}

/** `/sla tips list KIND [page N]`: ids and titles, retired ones marked. `page` is 1-based and already within range. */
export function tipsListMessage(kind: TipKind, entries: readonly CatalogueEntry[], page: number): SlackMessage {
  const ofKind = entries.filter((e) => e.tip.kind === kind);
  const pages = Math.max(1, Math.ceil(ofKind.length / TIPS_PAGE_SIZE));
  const shown = ofKind.slice((page - 1) * TIPS_PAGE_SIZE, page * TIPS_PAGE_SIZE);
  const line = (e: CatalogueEntry) =>
    `\`${e.tip.id}\` ${e.retired ? `~${escapeMrkdwn(e.tip.title)}~ _(retired)_` : escapeMrkdwn(e.tip.title)}${SOURCE_NOTE[e.source]}`;
  const more = page < pages ? ` Next: \`/sla tips list ${kind} page ${page + 1}\`.` : '';
  return {
    text: `${TIP_KIND_LABEL[kind]}: ${ofKind.length} tips, page ${page} of ${pages}`,
    blocks: [
      header(
        `${TIP_KIND_LABEL[kind]}: tips ${(page - 1) * TIPS_PAGE_SIZE + 1}–${(page - 1) * TIPS_PAGE_SIZE + shown.length} of ${ofKind.length}`,
      ),
      ...shown.map((e) => section(line(e))),
      context(`Page ${page} of ${pages}.${more} One tip in full: \`/sla tips show ID\`.`),
    ],
  };
}

/** `/sla tips show ID`. */
export function tipMessage(entry: CatalogueEntry): SlackMessage {
  const status = entry.retired ? 'Retired: not in the rotation.' : 'In the rotation.';
  const source = { 'built-in': 'Built in.', edit: 'Built in, edited by an admin.', custom: 'Added by an admin.' }[
    entry.source
  ];
  return {
    text: `${entry.tip.title}: ${entry.tip.body} Try this week: ${entry.tip.tryThisWeek}`,
    blocks: [...tipBlocks(TIP_KIND_LABEL[entry.tip.kind], entry.tip), context(`${source} ${status}`)],
  };
}

export interface TipModalInput {
  kind: TipKind;
  /** The tip being edited; absent when adding. */
  tip?: Tip;
  /** Opaque to the view: the listener's private_metadata. */
  metadata: string;
}

function textInput(
  block: string,
  label: string,
  max: number,
  initial: string | undefined,
  options: { multiline?: boolean; hint?: string; placeholder?: string } = {},
) {
  return {
    type: 'input' as const,
    block_id: block,
    label: plain(label),
    ...(options.hint ? { hint: plain(options.hint) } : {}),
    element: {
      type: 'plain_text_input' as const,
      action_id: IDS.value,
      max_length: max,
      ...(options.multiline ? { multiline: true } : {}),
      ...(options.placeholder ? { placeholder: plain(options.placeholder) } : {}),
      ...(initial !== undefined ? { initial_value: initial } : {}),
    },
  };
}

/** The add/edit modal. Slack enforces max_length as you type; the submission is checked again. */
export function tipModal({ kind, tip, metadata }: TipModalInput): ModalView {
  return modal({
    callbackId: IDS.tipModal,
    title: tip ? 'Edit a tip' : 'Add a tip',
    submit: 'Save',
    close: 'Cancel',
    metadata,
    blocks: [
      context(
        tip
          ? `Editing \`${tip.id}\` (${TIP_KIND_LABEL[kind].toLowerCase()}). The change shows wherever the tip comes up, from now on.`
          : `A new tip for ${TIP_KIND_LABEL[kind].toLowerCase()}. It joins the weekly rotation as soon as you save it.`,
      ),
      textInput(IDS.tipTitleBlock, 'Title', TIP_TITLE_MAX, tip?.title, { placeholder: 'Say no with an alternative' }),
      textInput(IDS.tipBodyBlock, 'The tip', TIP_BODY_MAX, tip?.body, {
        multiline: true,
        hint: `A concrete behaviour, in at most ${TIP_BODY_MAX} characters.`,
      }),
      textInput(IDS.tipTryBlock, 'Try this week', TIP_TRY_MAX, tip?.tryThisWeek, {
        multiline: true,
        hint: 'One doable action, with a number, a time or a channel where it helps.',
      }),
    ],
  });
}

/** What the modal's inputs hold (untrimmed; empty when left blank). */
export function readTipView(values: ModalValues): { title: string; body: string; tryThisWeek: string } {
  const read = (block: string) => values[block]?.[IDS.value]?.value ?? '';
  return { title: read(IDS.tipTitleBlock), body: read(IDS.tipBodyBlock), tryThisWeek: read(IDS.tipTryBlock) };
}

/** The modal block that shows a problem with a tip field. */
export const TIP_FIELD_BLOCK: Record<'title' | 'body' | 'tryThisWeek', string> = {
  title: IDS.tipTitleBlock,
  body: IDS.tipBodyBlock,
  tryThisWeek: IDS.tipTryBlock,
};
