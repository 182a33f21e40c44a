/**
 * DMs to the provider's side about one request: to its assignee (assigned to them, the requester
 * wrote, it moved to someone else) and to its heads (a low rating). Pure functions of domain values;
 * the requester's DMs are in request-dms.ts. All user text goes through `escapeMrkdwn`.
 */
import type { KnownBlock } from '@slack/types';
import { type Request, type RequestClocks, SYSTEM_ACTOR } from '../../domain/request';
import type { ClockView, TargetKind } from '../../domain/target-clock';
import { IDS } from '../ids';
import { button, context, MAX_SECTION_TEXT, type SlackMessage, section } from './blocks';
import { cut, escapeMrkdwn, link, mentionUser, quoted, remainingText, safeUrl, TARGET_LABEL } from './format';

/** A score this low or lower tells the provider's heads (once per rating, with the comment when one comes). */
export const LOW_SCORE = 2;

export interface LowScoreInput {
  request: Request;
  score: number;
  /** The requester's comment, once they added one. */
  comment?: string;
  providerName: string;
  /** Who resolved it (not told when it was Kept). */
  resolver?: string;
  /** Permalink of the card: the button opens it. */
  cardLink?: string;
}

/**
 * The DM to each head of the provider after a low score: the request, the score, the comment
 * (updated in place when it comes after the score), what to do now, and a button to the card.
 */
export function lowScoreAlert(input: LowScoreInput): SlackMessage {
  const { request } = input;
  const id = escapeMrkdwn(request.id);
  const who = mentionUser(request.requester);
  const by = input.resolver && input.resolver !== SYSTEM_ACTOR ? `, resolved by ${mentionUser(input.resolver)}` : '';
  const line = `:warning: ${who} rated ${id} (*${escapeMrkdwn(request.title)}*) ${input.score}/5${by}.`;
  const said = input.comment
    ? `:speech_balloon: ${quoted(input.comment)}`
    : ':speech_balloon: No comment yet; if they add one, it shows here.';
  const guide = `A score this low means the service did not work for them. A short word from you helps most: ask ${who} what went wrong, then look at the cause with whoever worked it, so the next one goes better.`;
  const url = safeUrl(input.cardLink);
  const blocks: KnownBlock[] = [
    section(cut(line, MAX_SECTION_TEXT)),
    section(cut(said, MAX_SECTION_TEXT)),
    context(guide),
  ];
  if (url)
    blocks.push({
      type: 'actions',
      block_id: 'request_low_score',
      elements: [{ ...button(IDS.requestAction.open, 'Open the request', request.id), url }],
    });
  else
    blocks.push(
      context(`${escapeMrkdwn(input.providerName)}'s channel has no card for ${id} yet; \`/sla show ${id}\` shows it.`),
    );
  const text = cut(`${line}${input.comment ? ` ${quoted(input.comment)}` : ''}`, MAX_SECTION_TEXT);
  return { text, blocks };
}

export interface AssignedInput {
  request: Request;
  /** Who assigned it (not the assignee: nobody is told what they did themselves). */
  by: string;
  providerName: string;
  /** The clocks now: the DM says the time left on the one still running. */
  clocks: RequestClocks;
  cardLink?: string;
}

/** The target a person working the request is racing: the response until it is met, then the resolution. */
function runningTarget(clocks: RequestClocks): { kind: TargetKind; view: ClockView } {
  const kind: TargetKind = clocks.response.state === 'met' ? 'resolution' : 'response';
  return { kind, view: clocks[kind] };
}

/** The DM to a person a request was assigned to: the request, the time left on its running target, a link to the card. */
export function assignedDm(input: AssignedInput): SlackMessage {
  const { request } = input;
  const id = escapeMrkdwn(request.id);
  const line = `:bust_in_silhouette: ${mentionUser(input.by)} assigned ${id} to you: *${escapeMrkdwn(request.title)}* (${escapeMrkdwn(request.priority)}, for ${escapeMrkdwn(input.providerName)}).`;
  const { kind, view } = runningTarget(input.clocks);
  const clock =
    view.state === 'met' ? 'Both targets are met.' : `*${TARGET_LABEL[kind]}*: ${remainingText(view, request.status)}.`;
  const card = safeUrl(input.cardLink) ? `Work it from ${link(input.cardLink, 'the card')}.` : 'Work it from its card.';
  return {
    text: cut(`${line} ${clock.replace(/\*/g, '')}`, MAX_SECTION_TEXT),
    blocks: [section(cut(line, MAX_SECTION_TEXT)), section(clock), context(card)],
  };
}

/** The DM to the assignee when the requester writes: an answer to their question, or a reply. */
export function requesterWroteDm(input: {
  request: Request;
  by: string;
  note: string;
  cardLink?: string;
}): SlackMessage {
  const { request } = input;
  const id = escapeMrkdwn(request.id);
  const waited = request.status !== 'waiting_on_requester' && request.clocks.resolution.state === 'running';
  const line = `:speech_balloon: ${mentionUser(input.by)} wrote on ${id} (*${escapeMrkdwn(request.title)}*): ${quoted(input.note)}`;
  const how = `${waited ? 'The resolution clock runs again. ' : ''}Reply in ${link(input.cardLink, "the card's thread")}: they read it in their DM.`;
  return {
    text: cut(`${line}\n${how}`, MAX_SECTION_TEXT),
    blocks: [section(cut(line, MAX_SECTION_TEXT)), context(how)],
  };
}

/** The DM to the person a request was taken from: it moved to someone else. */
export function movedDm(input: { request: Request; to: string; by: string; cardLink?: string }): SlackMessage {
  const id = escapeMrkdwn(input.request.id);
  const text = `:arrows_counterclockwise: ${id} (*${escapeMrkdwn(input.request.title)}*) moved to ${mentionUser(input.to)}; ${mentionUser(input.by)} reassigned it. Nothing more to do on it for you.`;
  return {
    text: cut(text, MAX_SECTION_TEXT),
    blocks: [section(cut(text, MAX_SECTION_TEXT)), context(`It is still on ${link(input.cardLink, 'the card')}.`)],
  };
}
