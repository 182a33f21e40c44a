/**
 * Block Kit for missed targets: the breach DM to the heads of both departments (with the
 * service-recovery checklist, the recovery steps for the provider's heads and the Waive button for
 * the customer's), one per scan for all its breaches (`breachBatch`), the apology to the requester
 * and the recovery steps to the assignee, and the modal that asks why a penalty is waived
 * (warnings before a miss: warnings.ts; the steps' buttons and forms and the requester's "put
 * right?" question: recovery.ts).
 * Pure functions of domain values:
 * nothing here reads the clock or calls Slack. All user text goes through `escapeMrkdwn`.
 */
import type { ActionsBlock, KnownBlock, ModalView } from '@slack/types';
import { DateTime } from 'luxon';
import { ordinal } from '../../domain/agreement-text';
import { type Breach, cycleOf, isLive, type Request, WAIVE_REASON_MAX } from '../../domain/request';
import type { TargetKind } from '../../domain/target-clock';
import { IDS } from '../ids';
import {
  button,
  context,
  MAX_MESSAGE_BLOCKS,
  MAX_SECTION_TEXT,
  type ModalValues,
  modal,
  plain,
  type SlackMessage,
  section,
} from './blocks';
import {
  actorText,
  amountText,
  cut,
  dateToken,
  escapeMrkdwn,
  link,
  mentionUser,
  plural,
  possessive,
  quoted,
  safeUrl,
  spokenDuration,
} from './format';
import { recoveryButtons, recoveryDone } from './recovery';

/** Titles are at most 150 characters; a headline shows them whole. */
const titleOf = (request: Request) => `*${escapeMrkdwn(request.title)}*`;

/** `November 2026` for `2026-11`; anything else as given, escaped. */
export function monthName(month: string): string {
  const dt = DateTime.fromFormat(month, 'yyyy-MM', { zone: 'UTC', locale: 'en-US' });
  return dt.isValid ? dt.toFormat('LLLL yyyy') : escapeMrkdwn(month);
}

/** `50 points (3rd breach of November 2026, ×2)`; `0 points (7th breach of November 2026 — the monthly cap is reached)`. */
export function chargeText(breach: Pick<Breach, 'amount' | 'unit' | 'n' | 'multiplier' | 'month'>): string {
  const times = breach.multiplier > 1 ? `, ×${breach.multiplier}` : '';
  const cap = breach.amount === 0 && breach.n > 1 ? ' — the monthly cap is reached' : '';
  return `${amountText(breach.amount, breach.unit)} (${ordinal(breach.n)} breach of ${monthName(breach.month)}${times}${cap})`;
}

// ---------------------------------------------------------------------------------------------
// The breach DM

export interface BreachNoticeInput {
  request: Request;
  kind: TargetKind;
  breach: Breach;
  providerName: string;
  customerName: string;
  /** working ms past due at detection (>= 0) */
  lateBy: number;
  cardLink?: string;
  /** true for the customer's heads: they get the Waive button */
  canWaive: boolean;
  /** true for the provider's side: they get the recovery steps' buttons (service recovery). */
  canRecover?: boolean;
  /** Who reads it: a waiver they gave says "You waived", not their own name. */
  reader?: string;
  /** The reopen cycle the breach belongs to, when drawn again after a reopen (the request's current one by default). */
  cycle?: number;
}

/**
 * The Waive button's value: the request, the target and, for a resolution breach, its reopen cycle,
 * so a button pressed after a later reopen waives the breach it was sent about.
 */
const waiveValue = (request: Request, kind: TargetKind, cycle?: number): string =>
  JSON.stringify({
    id: request.id,
    kind,
    ...(kind === 'resolution' ? { cycle: cycle ?? cycleOf(request) } : {}),
  });

/** The four steps of service recovery, in the order they are done. */
function checklist(provider: string, requester: string): string {
  return [
    `*What ${provider} does now*`,
    `• Apologise to ${requester}: the target was missed, whatever the reason.`,
    '• Go over the problem with them, so you both know what is still needed.',
    '• Fix it, or tell them how it is going, within 20 minutes.',
    '• Write down what happened, so the cause can be fixed.',
  ].join('\n');
}

/**
 * The DM to the heads of the provider and of the customer when a target is missed: what, how
 * late, what it costs, what the provider does now, and (for the customer's heads, while there is
 * a penalty to give back) the Waive penalty button.
 */
export function breachNotice(input: BreachNoticeInput): SlackMessage {
  const { request, kind, breach } = input;
  const id = escapeMrkdwn(request.id);
  const provider = escapeMrkdwn(input.providerName);
  const customer = escapeMrkdwn(input.customerName);
  const requester = mentionUser(request.requester);
  const headline = `:red_circle: *${id} missed its ${kind} target*`;
  const what = `${titleOf(request)}\nFiled by ${requester} (${customer}) · ${escapeMrkdwn(request.priority)} · ${escapeMrkdwn(request.service)}, provided by ${provider}`;

  const late =
    input.lateBy > 0
      ? `found ${dateToken(breach.detectedAt)}, ${spokenDuration(input.lateBy)} of working time late`
      : `found just now (${dateToken(breach.detectedAt)})`;
  const waived = breach.waived
    ? breach.waived.by === input.reader
      ? `\n:handshake: You waived it — ${dateToken(breach.waived.at)}: ${quoted(breach.waived.reason)}`
      : `\n:handshake: Waived by ${actorText(breach.waived.by)} ${dateToken(breach.waived.at)}: ${quoted(breach.waived.reason)}`
    : '';
  const cost = `Due ${dateToken(breach.dueAt)}, ${late}.\n*Penalty:* ${chargeText(breach)}${waived}`;

  const blocks: KnownBlock[] = [
    section(`${headline}\n${what}`),
    section(cost),
    section(checklist(provider, requester)),
  ];
  if (input.canRecover) {
    blocks.push({
      type: 'actions',
      block_id: `request_recover:${request.id}:${kind}`,
      elements: recoveryButtons(request, kind),
    });
    const done = recoveryDone(request);
    if (done) blocks.push(done);
  }
  if (input.canWaive && breach.amount > 0 && !breach.waived) {
    const actions: ActionsBlock = {
      type: 'actions',
      block_id: `request_waive:${request.id}:${kind}`,
      elements: [button(IDS.waivePenalty, 'Waive penalty', waiveValue(request, kind, input.cycle))],
    };
    blocks.push(
      actions,
      context(`As a head of ${customer} you may waive it: Kept asks why, and the ledger keeps your reason.`),
    );
  }
  if (safeUrl(input.cardLink))
    blocks.push(context(`See ${link(input.cardLink, 'the card')} for the request and its history.`));

  const text = cut(
    `:red_circle: ${id} missed its ${kind} target: ${escapeMrkdwn(request.title)}. Penalty: ${amountText(breach.amount, breach.unit)}${breach.waived ? ' (waived)' : ''}.`,
    MAX_SECTION_TEXT,
  );
  return { text, blocks };
}

// ---------------------------------------------------------------------------------------------
// The requester's and the assignee's breach DMs

export interface BreachApologyInput {
  request: Request;
  kind: TargetKind;
  providerName: string;
  /** When the target still running falls due (the resolution after a missed response); null when none is left. */
  nextDue: number | null;
  cardLink?: string;
}

/**
 * The DM to the requester when a target is missed: sorry, in our own words; who has the request
 * now; and when they will hear next. Never the penalty: that is between the departments.
 */
export function breachApology(input: BreachApologyInput): SlackMessage {
  const { request, kind } = input;
  const id = escapeMrkdwn(request.id);
  const provider = escapeMrkdwn(input.providerName);
  const missed =
    kind === 'response'
      ? `${provider} promised to get back to you on ${id} sooner than this, and did not`
      : `${provider} promised to have ${id} solved by now, and has not`;
  const headline = `:pray: Sorry: ${missed}. ${titleOf(request)}`;
  const owner = request.assignee
    ? `${mentionUser(request.assignee)} has it now and knows it is late.`
    : `Nobody at ${provider} has taken it yet; ${possessive(provider)} heads have been told it is late.`;
  const next =
    input.nextDue !== null
      ? `You will hear from ${provider} by ${dateToken(input.nextDue)}.`
      : `You will hear from ${provider} as soon as it is resolved.`;
  const help = `Anything they should know? Reply in this DM and it goes to ${safeUrl(input.cardLink) ? link(input.cardLink, "the card's thread") : "the card's thread"}.`;
  return {
    text: cut(`${headline}\n${owner} ${next}`, MAX_SECTION_TEXT),
    blocks: [section(headline), section(`${owner}\n${next}`), context(help)],
  };
}

export interface BreachToAssigneeInput {
  request: Request;
  kind: TargetKind;
  /** Working ms past due when it was found (>= 0). */
  lateBy: number;
  dueAt: number;
  providerName: string;
  cardLink?: string;
}

/** The DM to the assignee when a target is missed: what is late, by how much, what to do now, with the buttons to do it. */
export function breachToAssignee(input: BreachToAssigneeInput): SlackMessage {
  const { request, kind } = input;
  const id = escapeMrkdwn(request.id);
  const requester = mentionUser(request.requester);
  const late = input.lateBy > 0 ? `${spokenDuration(input.lateBy)} of working time late` : 'just missed';
  const headline = `:red_circle: ${id}, assigned to you, missed its ${kind} target: ${late} (it was due ${dateToken(input.dueAt)}).\n${titleOf(request)}`;
  const steps = [
    '*What helps most now*',
    `• Tell ${requester} where it stands (a reply in ${safeUrl(input.cardLink) ? link(input.cardLink, "the card's thread") : "the card's thread"} reaches them), and say sorry: they are waiting.`,
    `• Resolve it if it is done, or ask ${requester} for what is missing.`,
    '• Stuck? Say so in the thread, so someone can help.',
  ].join('\n');
  const actions: ActionsBlock = {
    type: 'actions',
    block_id: `request_breach_recover:${request.id}`,
    elements: [
      button(IDS.requestAction.resolve, 'Resolve', request.id, 'primary'),
      button(IDS.requestAction.pause, 'Ask for what is missing', request.id),
      ...recoveryButtons(request, kind, false),
    ],
  };
  const blocks: KnownBlock[] = [section(headline), section(steps)];
  blocks.push(isLive(request) ? actions : { ...actions, elements: recoveryButtons(request, kind) });
  const done = recoveryDone(request);
  if (done) blocks.push(done);
  return { text: cut(`:red_circle: ${id} missed its ${kind} target: ${late}.`, MAX_SECTION_TEXT), blocks };
}

// ---------------------------------------------------------------------------------------------
// The heads' breaches of one scan, in one DM

export interface BatchedBreach {
  request: Request;
  kind: TargetKind;
  breach: Breach;
  providerName: string;
  customerName: string;
  /** Working ms past due when it was found (>= 0). */
  lateBy: number;
  /** true when this head may waive it (a head of the customer). */
  canWaive: boolean;
  /** true when this head works for the provider: the line offers the recovery steps (a menu). */
  canRecover?: boolean;
}

/** Breaches listed one by one in a batch; the rest are counted (50 blocks per message). */
export const MAX_BATCHED_BREACHES = 40;

/**
 * What a head hears of one scan's breaches, in one DM: each missed target on its own line with its
 * penalty, and the Waive penalty button where this head may waive, or for a head of the provider the
 * four recovery steps as buttons under the line; then the checklist. Lines are listed while Slack's
 * 50 blocks allow (at most MAX_BATCHED_BREACHES), the rest counted.
 */
export function breachBatch(items: readonly BatchedBreach[]): SlackMessage {
  const waives = (item: BatchedBreach) => item.canWaive && item.breach.amount > 0 && !item.breach.waived;
  const recovers = (item: BatchedBreach) => !waives(item) && item.canRecover === true;
  // Headline, checklist, the waiver note and the "…and N more" line take at most four blocks.
  let room = MAX_MESSAGE_BLOCKS - 4;
  const shown: BatchedBreach[] = [];
  for (const item of items.slice(0, MAX_BATCHED_BREACHES)) {
    const cost = recovers(item) ? 2 : 1;
    if (cost > room) break;
    room -= cost;
    shown.push(item);
  }
  const rest = items.length - shown.length;
  const headline =
    items.length === 1 ? ':red_circle: *A target was missed*' : `:red_circle: *${items.length} targets were missed*`;
  const blocks: KnownBlock[] = [section(headline)];
  for (const item of shown) {
    const { request, kind, breach } = item;
    const late = item.lateBy > 0 ? `${spokenDuration(item.lateBy)} of working time late` : 'just missed';
    const waived = breach.waived ? ` · waived by ${actorText(breach.waived.by)}` : '';
    const who = request.assignee ? `assigned to ${mentionUser(request.assignee)}` : 'nobody assigned';
    const line = section(
      cut(
        `*${escapeMrkdwn(request.id)}* ${kind} · ${late}\n${titleOf(request)}\nFor ${mentionUser(request.requester)} (${escapeMrkdwn(item.customerName)}) by ${escapeMrkdwn(item.providerName)} · ${who}\n*Penalty:* ${chargeText(breach)}${waived}`,
        MAX_SECTION_TEXT,
      ),
    );
    // A head of the customer may waive; a head of the provider starts recovery.
    if (waives(item)) line.accessory = button(IDS.waivePenalty, 'Waive penalty', waiveValue(request, kind));
    blocks.push(line);
    if (recovers(item)) blocks.push({ type: 'actions', elements: recoveryButtons(request, kind, shown.length === 1) });
  }
  if (rest > 0)
    blocks.push(
      context(`…and ${plural(rest, 'more missed target', 'more missed targets')}: \`/sla report\` lists them all.`),
    );
  blocks.push(
    section(
      [
        '*What the provider does now, for each*',
        '• Apologise to the requester: the target was missed, whatever the reason. Kept has told them too.',
        '• Go over the problem with them, so you both know what is still needed.',
        '• Fix it, or tell them how it is going, within 20 minutes.',
        '• Write down what happened, so the cause can be fixed.',
      ].join('\n'),
    ),
  );
  if (items.some((i) => i.canWaive))
    blocks.push(
      context(
        'As a head of the department that filed them you may waive a penalty: Kept asks why, and the ledger keeps your reason.',
      ),
    );
  const ids = [...new Set(items.map((i) => i.request.id))].slice(0, 10).join(', ');
  const text = cut(
    `:red_circle: ${plural(items.length, 'target', 'targets')} missed: ${escapeMrkdwn(ids)}${items.length > 10 ? '…' : ''}.`,
    MAX_SECTION_TEXT,
  );
  return { text, blocks };
}

// ---------------------------------------------------------------------------------------------
// Service recovery: the apology form, and the requester's question

// ---------------------------------------------------------------------------------------------
// The waive modal

/** Asks a head of the customer why a penalty is waived (private_metadata: JSON `{ id, kind }`). */
export function waiveModal(input: {
  requestId: string;
  kind: TargetKind;
  amount: number;
  unit: string;
  /** What the submission needs back (see IDS.waiveModal); `{ id, kind }` by default. */
  metadata?: string;
}): ModalView {
  const id = escapeMrkdwn(input.requestId);
  return modal({
    callbackId: IDS.waiveModal,
    title: 'Waive penalty',
    submit: 'Waive',
    close: 'Cancel',
    metadata: input.metadata ?? JSON.stringify({ id: input.requestId, kind: input.kind }),
    blocks: [
      section(
        `Waiving the ${input.kind} penalty of ${id} gives back *${amountText(input.amount, input.unit)}*. The breach itself stays on record.`,
      ),
      {
        type: 'input',
        block_id: IDS.waiveReasonBlock,
        label: plain('Why is it waived? The ledger keeps this.'),
        element: { type: 'plain_text_input', action_id: IDS.value, multiline: true, max_length: WAIVE_REASON_MAX },
      },
    ],
  });
}

/** A submission of the waive modal: the reason trimmed, empty when left empty. */
export function readWaiveView(values: ModalValues): { reason: string } {
  return { reason: (values[IDS.waiveReasonBlock]?.[IDS.value]?.value ?? '').trim() };
}
