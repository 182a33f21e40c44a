/**
 * Block Kit for requests: the card in the provider's channel and `/sla show` (its history lines:
 * history.ts; the requester's DMs: request-dms.ts; lists and the App Home: request-lists.ts). Pure functions
 * of domain values: instants are passed in, nothing here reads the clock or calls Slack. All user
 * text (titles, descriptions, notes, service and department names) goes through `escapeMrkdwn`.
 *
 * Times: channel messages, lists and the App Home use Slack date tokens, so every reader sees
 * their own time zone; `localTime` (format.ts) writes the requester's DMs (request-dms.ts) in the
 * requester's zone.
 */
import type { ActionsBlock, KnownBlock, SectionBlock, StaticSelect, UsersSelect } from '@slack/types';
import {
  type ActionType,
  allBreaches,
  type Breach,
  cycleOf,
  RECOVERY_STEPS,
  type Request,
  type RequestClocks,
  type RequestStatus,
  STATUS_LABEL,
} from '../../domain/request';
import { actionsFor } from '../../domain/request-actions';
import type { ClockView, TargetKind } from '../../domain/target-clock';
import { IDS } from '../ids';
import {
  button,
  context,
  MAX_ACTION_ELEMENTS,
  MAX_FIELD_TEXT,
  MAX_MESSAGE_BLOCKS,
  MAX_SECTION_TEXT,
  option,
  plain,
  type SlackMessage,
  section,
} from './blocks';
import {
  actorText,
  clip,
  cut,
  dateToken,
  escapeMrkdwn,
  link,
  mark,
  mentionUser,
  plural,
  quoted,
  remainingText,
  spokenDuration,
  TARGET_LABEL,
} from './format';
import { causeText, type HistoryEvent, historyLine } from './history';
import { STEP_ACTION, STEP_BUTTON } from './recovery';

/** How many history lines `/sla show` shows. */
export const HISTORY_MAX = 10;

// ---------------------------------------------------------------------------------------------
// Status, causes and targets

export const STATUS_EMOJI: Record<RequestStatus, string> = {
  open: ':new:',
  acknowledged: ':eyes:',
  waiting_on_requester: ':hourglass:',
  waiting_on_third_party: ':hourglass_flowing_sand:',
  resolved: ':white_check_mark:',
  reopened: ':arrows_counterclockwise:',
  closed: ':lock:',
  cancelled: ':x:',
};

const statusText = (status: RequestStatus) => `${STATUS_EMOJI[status]} ${STATUS_LABEL[status]}`;

/** `*IT-42 · Title*`, escaped. */
const titleLine = (request: Request) => `*${escapeMrkdwn(request.id)} · ${escapeMrkdwn(request.title)}*`;

/**
 * `missed — was due <token>`, then ` · penalty waived by <@U1>` once waived. The card is read by
 * the whole channel, so it never says what a miss cost: amounts are for the heads' DMs, the
 * report and the App Home of heads (decisions.md).
 */
function breachText(breach: Breach): string {
  const waived = breach.waived ? ` · penalty waived by ${actorText(breach.waived.by)}` : '';
  return `missed — was due ${dateToken(breach.dueAt)}${waived}`;
}

/**
 * One line per target: `:warning: *Response* · due <token> · 20m of working time left`. A recorded
 * breach takes precedence: `:red_circle: *Response* · missed — was due <token>`.
 */
function targetLine(
  kind: TargetKind,
  view: ClockView,
  requestStatus: RequestStatus,
  breach?: Breach,
  original?: number | null,
): string {
  const line = currentTargetLine(kind, view, requestStatus, breach);
  if (original === undefined || original === null) return line;
  return `${line} · original ~${dateToken(original)}~`;
}

function currentTargetLine(kind: TargetKind, view: ClockView, requestStatus: RequestStatus, breach?: Breach): string {
  const label = `*${TARGET_LABEL[kind]}*`;
  if (breach) return `:red_circle: ${label} · ${breachText(breach)}`;
  if (view.state === 'met') {
    const emoji = view.metLate ? ':ballot_box_with_check:' : ':white_check_mark:';
    const was = view.metLate && view.due !== null ? ` (was due ${dateToken(view.due)})` : '';
    return `${emoji} ${label} · ${remainingText(view, requestStatus)}${was}`;
  }
  const dueText = view.due !== null ? ` · ${view.remaining < 0 ? 'was due' : 'due'} ${dateToken(view.due)}` : '';
  const risk = view.status === 'at_risk' ? ' — at risk' : '';
  return `${mark(view.status)}${label}${dueText} · ${remainingText(view, requestStatus)}${risk}`;
}

/** The earlier cycles the card names (the latest ones, when a request was reopened very often). */
const CYCLES_SHOWN = 5;

/**
 * After a reopen: which cycle the request is in, and how each earlier one ended, its missed
 * resolution target kept (`Cycle 2 of IT-42 · cycle 1: resolution missed — was due <token>`).
 */
function cyclesText(request: Request): string | undefined {
  const earlier = request.cycles ?? [];
  if (earlier.length === 0) return undefined;
  const shown = earlier.slice(-CYCLES_SHOWN).map((c) => {
    const how = c.breach ? `resolution ${breachText(c.breach)}` : `resolved on time ${dateToken(c.metAt)}`;
    return `cycle ${c.n}: ${how}`;
  });
  const older = earlier.length > CYCLES_SHOWN ? [`${earlier.length - CYCLES_SHOWN} earlier`] : [];
  const reopened = earlier.at(-1)!.endedAt;
  return cut(
    `:arrows_counterclockwise: *Cycle ${cycleOf(request)}* since the reopen ${dateToken(reopened)} · ${[...older, ...shown].join(' · ')}`,
    MAX_SECTION_TEXT,
  );
}

// ---------------------------------------------------------------------------------------------
// The card

export interface CardInput {
  request: Request;
  clocks: RequestClocks;
  /** The instant the card shows the clocks as of. */
  at: number;
  providerName: string;
  customerName: string;
}

function fieldsBlock(input: CardInput): SectionBlock {
  const { request } = input;
  const field = (name: string, value: string) => ({
    type: 'mrkdwn' as const,
    text: cut(`*${name}*\n${value}`, MAX_FIELD_TEXT),
  });
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: cut(titleLine(request), MAX_SECTION_TEXT) },
    fields: [
      field('Requester', mentionUser(request.requester)),
      field('Customer', escapeMrkdwn(input.customerName)),
      field('Service', escapeMrkdwn(request.service)),
      field(
        'Priority',
        request.original
          ? `${escapeMrkdwn(request.priority)} (original ~${escapeMrkdwn(request.original.priority)}~)`
          : escapeMrkdwn(request.priority),
      ),
      field('Status', statusText(request.status)),
      field('Assignee', request.assignee ? mentionUser(request.assignee) : 'nobody yet'),
    ],
  };
}

/** The card's body without buttons: shared by the card and `/sla show`. */
function cardBody(input: CardInput): KnownBlock[] {
  const { request, clocks, at } = input;
  const blocks: KnownBlock[] = [fieldsBlock(input)];
  blocks.push(
    section(
      (['response', 'resolution'] as const)
        .map((k) => targetLine(k, clocks[k], request.status, request.breaches?.[k], request.original?.due[k]))
        .join('\n'),
    ),
  );

  const cycles = cyclesText(request);
  if (cycles) blocks.push(context(cycles));

  const from = request.source ? link(request.source.permalink, 'From this message') : undefined;
  if (request.description.trim() !== '' || from) {
    const tail = from ? `\n${from}` : '';
    const head = '*Description*\n';
    const body =
      request.description.trim() !== ''
        ? cut(escapeMrkdwn(request.description), MAX_SECTION_TEXT - head.length - tail.length)
        : '';
    blocks.push(section(body ? `${head}${body}${tail}` : from!));
  }
  if (request.resolutionNote && (request.status === 'resolved' || request.status === 'closed')) {
    const head = '*How it was solved*\n';
    blocks.push(section(`${head}${cut(escapeMrkdwn(request.resolutionNote), MAX_SECTION_TEXT - head.length)}`));
  }
  if (request.cause && (request.status === 'resolved' || request.status === 'closed')) {
    blocks.push(section(cut(`*Cause:* ${causeText(request.cause)}`, MAX_SECTION_TEXT)));
  }
  const notes = [
    `Filed ${dateToken(request.createdAt)} under agreement \`${escapeMrkdwn(request.agreementId)}\` v${request.agreementVersion}`,
    `as of ${dateToken(at)}`,
  ];
  const moved = request.transfers?.at(-1);
  if (moved) notes.push(`received by transfer ${dateToken(moved.at)}: ${quoted(moved.reason)}`);
  if (request.rating) notes.push(`rated ${request.rating.score}/5`);
  blocks.push(context(notes.join(' · ')));
  return blocks;
}

/** The card's buttons for the actions that fit the request's status, and "Why this due time?". */
/**
 * The card's actions: the one thing to do next (Acknowledge, Resolve, Resume or Confirm solved),
 * Assign to me and the picker, and the rest in a "More actions" menu, so the card reads at a glance.
 * A menu option's value is the action_id of the button it stands for (listeners/request-more.ts).
 */
function cardActions(request: Request): ActionsBlock {
  const fits = actionsFor(request.status);
  const has = (t: ActionType) => fits.includes(t);
  const id = request.id;
  const elements: ActionsBlock['elements'] = [];
  const primary = (['acknowledge', 'resolve', 'resume', 'close'] as const).find(has);
  const label: Record<string, string> = {
    acknowledge: 'Acknowledge',
    resolve: 'Resolve',
    resume: 'Resume',
    close: 'Confirm solved',
    reopen: 'Reopen',
    pause: 'Waiting on requester',
    priority: 'Change priority',
    transfer: 'Transfer',
    cancel: 'Cancel request',
  };
  if (primary) elements.push(button(IDS.requestAction[primary], label[primary]!, id, 'primary'));
  if (has('assign')) {
    elements.push(button(IDS.requestAction.assignMe, 'Assign to me', id));
    const picker: UsersSelect = {
      type: 'users_select',
      action_id: IDS.requestAction.assign,
      placeholder: plain('Assign to…'),
      ...(request.assignee ? { initial_user: request.assignee } : {}),
    };
    elements.push(picker);
  }
  const rest = (['resolve', 'resume', 'reopen', 'pause', 'priority', 'transfer', 'cancel'] as const).filter(
    (t) => t !== primary && has(t),
  );
  // After a miss, the provider's recovery steps (docs/breaches.md "Recovery"), until it is cancelled.
  const recovery =
    request.status !== 'cancelled' && allBreaches(request).length > 0
      ? RECOVERY_STEPS.map((step) => option(STEP_ACTION[step], `${STEP_BUTTON[step]}…`))
      : [];
  if (rest.length === 0 && recovery.length === 0) {
    // Every card, whatever its status, can say why its due times are what they are.
    elements.push(button(IDS.requestAction.explain, 'Why this due time?', id));
  } else {
    const more: StaticSelect = {
      type: 'static_select',
      action_id: IDS.requestAction.more,
      placeholder: plain('More actions'),
      options: [
        ...rest.map((t) => option(IDS.requestAction[t], t === 'cancel' ? 'Cancel request…' : label[t]!)),
        ...recovery,
        option(IDS.requestAction.explain, 'Why this due time?'),
      ],
    };
    elements.push(more);
  }
  return {
    type: 'actions',
    block_id: `request_actions:${request.id}`,
    elements: elements.slice(0, MAX_ACTION_ELEMENTS),
  };
}

function cardText(input: CardInput): string {
  const { request } = input;
  const who = request.assignee ? `, assigned to ${mentionUser(request.assignee)}` : '';
  return cut(
    `${escapeMrkdwn(request.id)} · ${escapeMrkdwn(request.title)} — ${STATUS_LABEL[request.status]}, ${request.priority}, filed by ${mentionUser(request.requester)} for ${escapeMrkdwn(input.customerName)} (${escapeMrkdwn(request.service)})${who}`,
    MAX_SECTION_TEXT,
  );
}

/** The card's line on talking in its thread: replies reach the requester, internal notes do not. */
export const conversationHint = (providerName: string): string =>
  `:speech_balloon: Reply in this thread to write to the requester. Start with \`(internal)\` or :lock: for a note only ${escapeMrkdwn(providerName)} sees.`;

/** The request card in the provider's channel: what, for whom, the two clocks, and the buttons that fit. */
export function requestCard(input: CardInput): SlackMessage {
  const blocks = cardBody(input);
  blocks.push(context(conversationHint(input.providerName)));
  blocks.push(cardActions(input.request));
  return { text: cardText(input), blocks: blocks.slice(0, MAX_MESSAGE_BLOCKS) };
}

/**
 * The first card of a request handed over to another department: what it was, and where it went,
 * by whom and why; no buttons (the request is worked from its new card).
 */
export function movedCard(input: {
  request: Pick<Request, 'id' | 'title'>;
  toName: string;
  by: string;
  reason: string;
  at: number;
}): SlackMessage {
  const id = escapeMrkdwn(input.request.id);
  const line = `:arrow_right: *${id}* · ${escapeMrkdwn(input.request.title)}\nTransferred to ${escapeMrkdwn(input.toName)} by ${mentionUser(input.by)} — ${quoted(input.reason)}`;
  return {
    text: cut(`${input.request.id} was transferred to ${input.toName} by ${mentionUser(input.by)}`, MAX_SECTION_TEXT),
    blocks: [
      section(cut(line, MAX_SECTION_TEXT)),
      context(
        `${dateToken(input.at)} · it keeps its ID and history; ${escapeMrkdwn(input.toName)} works it from the card in their channel.`,
      ),
    ],
  };
}

/**
 * The reply under a message someone filed as a request (the shortcut or :ticket:): the people in
 * that conversation see it is tracked, with whom, and where to follow it. No one is mentioned: the
 * person who filed it has their own confirmation.
 */
export function filedFromMessageReply(input: {
  request: Pick<Request, 'id' | 'title'>;
  providerName: string;
  cardLink?: string;
}): string {
  const provider = escapeMrkdwn(input.providerName);
  const id = link(input.cardLink, `*${escapeMrkdwn(input.request.id)}*`);
  return `:ticket: Filed as ${id} for ${provider}: ${quoted(clip(input.request.title, 150))}. ${provider} will get back within the times they promised, so nobody needs to ask again here.`;
}

// ---------------------------------------------------------------------------------------------
// /sla show

export interface DetailsInput extends CardInput {
  /** The request's history, oldest first; the last HISTORY_MAX lines are shown. */
  history?: readonly HistoryEvent[];
  /** How long it has waited on its requester so far (the current pause included); shown once it has waited. */
  waited?: { ms: number; pauses: number };
  /** The person reading is its requester: the wait reads "on you". */
  forRequester?: boolean;
}

/** `*Waited on you:* 3h 20m over 2 pauses`: working time, told to both sides. */
export function waitedLine(waited: { ms: number; pauses: number }, forRequester: boolean): string {
  const on = forRequester ? 'you' : 'the requester';
  return `*Waited on ${on}:* ${spokenDuration(waited.ms)} of working time over ${plural(waited.pauses, 'pause')}`;
}

/** `/sla show IT-42`: the card without its buttons, and the latest history. */
export function requestDetails(input: DetailsInput): SlackMessage {
  const blocks = cardBody(input);
  if (input.waited && input.waited.pauses > 0)
    blocks.push(section(waitedLine(input.waited, input.forRequester === true)));
  const history = input.history ?? [];
  if (history.length > 0) {
    const shown = history.slice(-HISTORY_MAX);
    const earlier = history.length - shown.length;
    blocks.push(section(`*History*${earlier > 0 ? ` (last ${shown.length} of ${history.length})` : ''}`));
    for (const e of shown) blocks.push(context(historyLine(e, input.request.id, input.providerName)));
  }
  return { text: cardText(input), blocks: blocks.slice(0, MAX_MESSAGE_BLOCKS) };
}
