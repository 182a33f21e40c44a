/**
 * Block Kit for the requester's DMs: the filing confirmation (when answers are due, in the
 * requester's own time zone), acknowledged, waiting on you, and resolved with the rating prompt.
 * Pure functions of domain values, like views/requests.ts (the provider side's DMs: provider-dms.ts);
 * all user text goes through `escapeMrkdwn`.
 */
import type { KnownBlock } from '@slack/types';
import { DAY_MS } from '../../domain';
import {
  AUTO_CLOSE_MS,
  allBreaches,
  RATING_WINDOW_MS,
  REOPEN_WINDOW_MS,
  type Request,
  type RequestClocks,
  type RequestEvent,
  type RequestStatus,
  SYSTEM_ACTOR,
} from '../../domain/request';
import { ratingOpen } from '../../domain/request-actions';
import { isUserId } from '../../domain/slack-ids';
import type { ClockView, TargetKind } from '../../domain/target-clock';
import { IDS } from '../ids';
import { button, context, MAX_SECTION_TEXT, type SlackMessage, section } from './blocks';
import {
  cut,
  dateToken,
  escapeMrkdwn,
  link,
  localTime,
  mentionChannel,
  mentionUser,
  plural,
  quoted,
  remainingText,
  safeUrl,
  TARGET_LABEL,
} from './format';
import { filesText } from './history';
import { recoveredQuestion } from './recovery';

export interface ConfirmationInput {
  request: Request;
  clocks: RequestClocks;
  /** The requester's IANA time zone (users.info `tz`). */
  timezone: string;
  /** Permalink of the card, when Slack gave one. */
  cardLink?: string;
  providerName: string;
  /** The channel the card is in. */
  channel: string;
  /** Slack refused the card for that channel (views/card-blocked.ts): the provider's heads have it by DM. */
  cardMissing?: boolean;
}

function localDueLine(kind: TargetKind, view: ClockView, timezone: string): string {
  const label = `*${TARGET_LABEL[kind]}*`;
  if (view.state === 'met') return `${label}: ${remainingText(view, undefined, (ms) => localTime(ms, timezone))}`;
  if (view.due === null) return `${label}: ${remainingText(view)}`;
  return `${label} due ${localTime(view.due, timezone)} (${remainingText(view)})`;
}

/** The DM to the requester once a request is filed: the ID, when answers are due in their own time zone, and what comes next. */
export function filedConfirmation(input: ConfirmationInput): SlackMessage {
  const { request, clocks, timezone } = input;
  const provider = escapeMrkdwn(input.providerName);
  const id = escapeMrkdwn(request.id);
  const intro = `Filed *${id}* with ${provider}: *${escapeMrkdwn(request.title)}*`;
  const dues = (['response', 'resolution'] as const).map((k) => `• ${localDueLine(k, clocks[k], timezone)}`).join('\n');
  const card = input.cardMissing
    ? `Kept cannot post the card in ${mentionChannel(input.channel)} yet; ${provider}'s heads have it by DM.`
    : safeUrl(input.cardLink)
      ? `See ${link(input.cardLink, 'the card')} in ${mentionChannel(input.channel)}.`
      : `See the card in ${mentionChannel(input.channel)}.`;
  const next = `You get a DM when ${provider} acknowledges it, when ${provider} needs your input and when it is resolved.`;
  const blocks: KnownBlock[] = [
    section(cut(intro, MAX_SECTION_TEXT)),
    section(dues),
    section(`${card} ${next}`),
    context(
      `Times are in your time zone (${escapeMrkdwn(timezone)}); the clocks count ${provider}'s working time only.`,
    ),
  ];
  const text = cut(
    `${intro}. Response due ${dueText(clocks.response, timezone)}, resolution due ${dueText(clocks.resolution, timezone)}.`,
    MAX_SECTION_TEXT,
  );
  return { text, blocks };
}

const dueText = (view: ClockView, timezone: string) =>
  view.due !== null ? localTime(view.due, timezone) : remainingText(view);

/** The action_id of the rating button for `score` (unique within its block). */
export const rateActionId = (score: number): string => `${IDS.requestAction.rate}_${score}`;
/** Matches every rating button's action_id, for the listener. */
export const RATE_ACTION_PATTERN = /^request_rate_[1-5]$/;
export const RATE_LABELS = ['1 ★', '2 ★★', '3 ★★★', '4 ★★★★', '5 ★★★★★'] as const;

/** Something a person did with a DM's buttons: who, and when. */
export interface Used {
  by: string;
  at: number;
}

/** "You" for the person reading, a mention for anyone else, "Kept" for Kept itself. */
const whoDid = (by: string, reader: string) => (by === reader ? 'You' : by === SYSTEM_ACTOR ? 'Kept' : mentionUser(by));

export interface ResolvedInput {
  request: Request;
  /** Who resolved it, as the requester reads it: the provider's name, or the resolver's mention. */
  by: string;
  /** The resolution note. */
  note?: string;
  /** What the requester did with the DM since it was sent (the rating is read from the request). */
  used?: { closed?: Used; reopened?: Used };
  /** When it is drawn: once the rating window is over, the rating buttons give way to a line saying so. */
  at?: number;
  /** The person who resolved it (the resolve's actor): a "Say thanks" button thanks them with a kudos. */
  resolver?: string;
}

/** Whether the resolved DM offers "Say thanks": a person other than the requester resolved it. */
export const thanksOffered = (resolver: string | undefined, requester: string): resolver is string =>
  resolver !== undefined && resolver !== SYSTEM_ACTOR && resolver !== requester && isUserId(resolver);

/**
 * The requester's "resolved" DM: the note, the rating (one click on the score records it; then a
 * thank-you and an optional comment), and Confirm solved / Reopen. Drawn from the request as it
 * stands, so the same function draws it when sent and each time it is used: every row whose
 * buttons were used gives way to a line saying who did what and when.
 */
export function resolvedDm(input: ResolvedInput): SlackMessage {
  const { request, by, used } = input;
  const id = escapeMrkdwn(request.id);
  const resolved = `:white_check_mark: ${by} resolved ${id} (*${escapeMrkdwn(request.title)}*)${input.note ? `: ${quoted(input.note)}` : '.'}`;
  // A request that missed a target says so: the wait was real, and we are sorry for it.
  const late =
    request.breaches && Object.keys(request.breaches).length > 0
      ? `\nSorry it took longer than ${by} promised, and thank you for your patience.`
      : '';
  const line = `${resolved}${late}`;
  const blocks: KnownBlock[] = [section(cut(line, MAX_SECTION_TEXT))];
  const reader = request.requester;
  const rating = request.rating;
  if (rating) {
    blocks.push(
      context(
        `:star: ${whoDid(rating.by, reader)} rated this ${rating.score}/5 — ${dateToken(rating.at)}. Thank you! ${by} hears it too.`,
      ),
    );
    if (rating.better) blocks.push(context(`:speech_balloon: ${quoted(rating.better)}`));
    else if (rating.by === reader)
      blocks.push({
        type: 'actions',
        block_id: 'request_rating_comment',
        elements: [button(IDS.requestAction.comment, 'Add a comment', request.id)],
      });
  } else if (!used?.reopened && input.at !== undefined && !ratingOpen(request, input.at)) {
    blocks.push(
      context(
        `:hourglass_flowing_sand: Rating closed: ${id} could be rated for ${plural(RATING_WINDOW_MS / DAY_MS, 'day')} after it was resolved.`,
      ),
    );
  } else if (!used?.reopened) {
    blocks.push(
      section(
        `*How did ${by} do?* One click rates ${id}, from 1 (poor) to 5 (excellent); a comment is optional, after.`,
      ),
      {
        type: 'actions',
        block_id: 'request_rating',
        elements: RATE_LABELS.map((label, i) =>
          button(rateActionId(i + 1), label, JSON.stringify({ id: request.id, score: i + 1 })),
        ),
      },
    );
  }
  // After a miss, Kept asks once whether the service was put right (service recovery).
  if (!used?.reopened && allBreaches(request).length > 0) blocks.push(...recoveredQuestion(request, by));
  // Recognition: a kudos to whoever resolved it (docs/kudos.md), for as long as it can be rated.
  const thanksOpen = input.at === undefined || ratingOpen(request, input.at);
  if (!used?.reopened && thanksOpen && thanksOffered(input.resolver, reader))
    blocks.push({
      type: 'actions',
      block_id: 'request_thanks',
      elements: [button(IDS.sayThanks, 'Say thanks', request.id)],
    });
  if (used?.closed) {
    const { closed } = used;
    blocks.push(
      context(
        closed.by === SYSTEM_ACTOR
          ? `:lock: ${id} closed itself — ${dateToken(closed.at)}.`
          : `:lock: ${whoDid(closed.by, reader)} confirmed it is solved — ${dateToken(closed.at)}. ${id} is closed.`,
      ),
    );
  } else if (used?.reopened) {
    blocks.push(
      context(
        `:arrows_counterclockwise: ${whoDid(used.reopened.by, reader)} reopened it — ${dateToken(used.reopened.at)}. The resolution clock runs again; you hear from ${by} here.`,
      ),
    );
  } else if (request.status !== 'closed') {
    blocks.push(
      {
        type: 'actions',
        block_id: 'request_confirm',
        elements: [
          button(IDS.requestAction.close, 'Confirm solved', request.id, 'primary'),
          button(IDS.requestAction.reopen, 'Reopen', request.id),
        ],
      },
      context(
        `Not solved after all? Reopen it within ${plural(REOPEN_WINDOW_MS / DAY_MS, 'day')}: the whole resolution target starts again from then. After ${plural(AUTO_CLOSE_MS / DAY_MS, 'day')} it closes itself.`,
      ),
    );
  } else if (request.status === 'closed' && request.closedAt !== undefined) {
    blocks.push(context(`:lock: ${id} is closed — ${dateToken(request.closedAt)}.`));
  }
  return { text: cut(line, MAX_SECTION_TEXT), blocks };
}

export interface AnsweredInput {
  request: Request;
  providerName: string;
  /** The question the provider asked, when they asked one. */
  question?: string;
  answered: Used;
}

/** The requester's "needs your input" DM once answered: the question stays, the Answer button gives way to who answered and when. */
export function answeredDm(input: AnsweredInput): SlackMessage {
  const { request } = input;
  const id = escapeMrkdwn(request.id);
  const provider = escapeMrkdwn(input.providerName);
  const asked = `:hourglass: ${provider} needed your input on ${id} (*${escapeMrkdwn(request.title)}*)${input.question ? `: ${quoted(input.question)}` : '.'}`;
  const done = `:speech_balloon: ${whoDid(input.answered.by, request.requester)} answered — ${dateToken(input.answered.at)}. ${provider} has it in the card's thread, and the resolution clock runs again.`;
  return {
    text: cut(
      `${asked}
${done}`,
      MAX_SECTION_TEXT,
    ),
    blocks: [section(cut(asked, MAX_SECTION_TEXT)), context(done)],
  };
}

export interface RatedInput {
  request: Request;
  /** The rating's history line: its score, and the comment when it brought one. */
  score: number;
  comment?: string;
  /** The comment came after the score (a second line about the same rating). */
  commentOnly?: boolean;
}

/** The DM to the person who resolved a request: the requester's score (or the comment they added to it). */
export function ratedDm(input: RatedInput): SlackMessage {
  const { request } = input;
  const id = escapeMrkdwn(request.id);
  const who = mentionUser(request.requester);
  const title = escapeMrkdwn(request.title);
  const line = input.commentOnly
    ? `:speech_balloon: ${who} added a comment to their ${input.score}/5 rating of ${id} (*${title}*)`
    : `:star: ${who} rated your work on ${id} (*${title}*) ${input.score}/5${input.score >= 4 ? '. Well done, and thank you!' : '.'}`;
  const said = input.comment ? `\n${quoted(input.comment)}` : '';
  const after =
    input.score <= 3 && !input.commentOnly
      ? 'A low score is worth a short word with them: what would have made it better?'
      : 'Ratings add up in `/sla report` under satisfaction.';
  const text = cut(`${line}${input.commentOnly ? ':' : ''}${said}`, MAX_SECTION_TEXT);
  return { text, blocks: [section(text), context(after)] };
}

export interface UpdateInput {
  event: {
    type: RequestEvent['type'];
    actor: string;
    note?: string;
    at: number;
    priority?: string;
    previousPriority?: string;
    asked?: boolean;
    transfer?: { fromName: string; toName: string };
    rule?: 'remind' | 'resume' | 'close';
    /** The status it moved to (a pause: waiting on the requester or on a third party). */
    to?: RequestStatus;
  };
  request: Request;
  cardLink?: string;
  /** unanswered: what the provider asked when it began waiting (the pause's note), when it said. */
  question?: string;
  /** The provider's name ("IT is on IT-42"); without it the line names the person who acted. */
  providerName?: string;
}

/** The DM to the requester about a change they should hear of; undefined for changes they need not. */
export function requesterUpdate(input: UpdateInput): SlackMessage | undefined {
  const { event, request } = input;
  const id = escapeMrkdwn(request.id);
  const title = escapeMrkdwn(request.title);
  const who = mentionUser(event.actor);
  const provider = input.providerName ? escapeMrkdwn(input.providerName) : undefined;
  const card = link(input.cardLink, 'the card');
  switch (event.type) {
    case 'acknowledge': {
      const line = provider
        ? `:eyes: ${provider} is on ${id} (*${title}*): ${who} acknowledged it.`
        : `:eyes: ${who} acknowledged ${id} (*${title}*) and is on it.`;
      const text = event.note ? `${line}\n${quoted(event.note)}` : line;
      return { text: cut(text, MAX_SECTION_TEXT), blocks: [section(text), context(`Follow along on ${card}.`)] };
    }
    case 'pause': {
      if (event.to === 'waiting_on_third_party') {
        const line = `:hourglass_flowing_sand: ${provider ?? who} is waiting on a third party to go on with ${id} (*${title}*)${event.note ? `: ${quoted(event.note)}` : '.'}`;
        const how = `Nothing is needed from you; you hear from them as soon as it moves. Follow along on ${card}.`;
        return { text: cut(line, MAX_SECTION_TEXT), blocks: [section(line), context(how)] };
      }
      const asks = `:hourglass: ${provider ?? who} needs your input on ${id} (*${title}*)${event.note ? `: ${quoted(event.note)}` : '.'}`;
      const how = `Press *Answer* (or use \`/sla resume ${id} your answer\`): it goes into ${input.cardLink && safeUrl(input.cardLink) ? link(input.cardLink, "the card's thread") : "the card's thread"} and starts the resolution clock again. It is paused until then.`;
      const answer: KnownBlock = {
        type: 'actions',
        block_id: 'request_answer',
        elements: [button(IDS.requestAction.answer, 'Answer', request.id, 'primary')],
      };
      return { text: cut(`${asks}\n${how}`, MAX_SECTION_TEXT), blocks: [section(asks), section(how), answer] };
    }
    case 'unanswered': {
      const from = provider ?? 'The team working on it';
      if (event.rule === 'remind') {
        const asks = `:bell: A friendly reminder: ${from} is still waiting on your answer to go on with ${id} (*${title}*)${input.question ? `. They asked: ${quoted(input.question)}` : '.'}`;
        const how = `Press *Answer* (or use \`/sla resume ${id} your answer\`): the resolution clock runs again as soon as you do. If you no longer need this, \`/sla cancel ${id}\` lets them know.`;
        const answer: KnownBlock = {
          type: 'actions',
          block_id: 'request_answer',
          elements: [button(IDS.requestAction.answer, 'Answer', request.id, 'primary')],
        };
        return { text: cut(`${asks}\n${how}`, MAX_SECTION_TEXT), blocks: [section(asks), section(how), answer] };
      }
      if (event.rule === 'close') {
        const line = `:lock: ${id} (*${title}*) is closed: ${from} waited for your answer for the time your departments agreed, and none came.`;
        const how = `If you still need this, file a new request and mention ${id} in it; ${card} keeps the history.`;
        return { text: cut(line, MAX_SECTION_TEXT), blocks: [section(line), context(how)] };
      }
      const line = `:arrow_forward: ${from} is going on with ${id} (*${title}*) without your answer: the time your departments agreed for waiting is over, so its resolution clock runs again.`;
      const how = `You can still add what they asked for with \`/sla reply ${id} your message\`; follow along on ${card}.`;
      return { text: cut(line, MAX_SECTION_TEXT), blocks: [section(line), context(how)] };
    }
    case 'resolve':
      return resolvedDm({
        request,
        by: provider ?? who,
        ...(event.note ? { note: event.note } : {}),
        resolver: event.actor,
      });
    case 'priority': {
      if (event.asked) return undefined;
      const line = `:arrow_up_down: ${provider ?? who} changed the priority of ${id} (*${title}*) from ${escapeMrkdwn(event.previousPriority ?? '?')} to ${escapeMrkdwn(event.priority ?? '?')}${event.note ? `: ${quoted(event.note)}` : '.'}`;
      const how = `Its due times are counted again from when you filed it; ${card} shows them beside the original ones.`;
      return { text: cut(line, MAX_SECTION_TEXT), blocks: [section(line), context(how)] };
    }
    case 'transfer': {
      const from = escapeMrkdwn(event.transfer?.fromName ?? 'Its first department');
      const to = escapeMrkdwn(event.transfer?.toName ?? 'another department');
      const line = `:arrow_right: ${from} handed your request ${id} (*${title}*) to ${to}, who can help with it${event.note ? `: ${quoted(event.note)}` : '.'}`;
      const how = `It keeps its ID and history; ${to}'s response and resolution times start now, under their agreement. Follow it on ${card}, now in their channel.`;
      return { text: cut(line, MAX_SECTION_TEXT), blocks: [section(line), context(how)] };
    }
    default:
      return undefined;
  }
}

export interface RelayInput {
  event: { actor: string; note?: string; files?: readonly { name: string; permalink: string }[] };
  request: Request;
  providerName: string;
}

/** A provider's reply in the card's thread, relayed to the requester in the thread of Kept's DM about the request. */
export function relayedReply(input: RelayInput): SlackMessage {
  const { event, request } = input;
  const said = `${mentionUser(event.actor)} (${escapeMrkdwn(input.providerName)}): ${escapeMrkdwn(event.note ?? '')}${filesText(event.files)}`;
  const text = cut(said, MAX_SECTION_TEXT);
  return {
    text,
    blocks: [
      section(text),
      context(
        `About ${escapeMrkdwn(request.id)} (*${escapeMrkdwn(request.title)}*). Reply in this thread to answer ${escapeMrkdwn(input.providerName)}.`,
      ),
    ],
  };
}
