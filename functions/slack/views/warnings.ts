/**
 * The warnings before a target is missed: the at-risk warning (to the assignee, or the channel
 * mentioning the people on duty) and a step of the agreement's escalation ladder. Pure functions of
 * the request; the breach notices after a miss are in breaches.ts.
 */
import type { ActionsBlock, KnownBlock } from '@slack/types';
import type { Department } from '../../domain/department';
import { isLive, type Request } from '../../domain/request';
import type { TargetKind } from '../../domain/target-clock';
import { IDS } from '../ids';
import { button, context, MAX_SECTION_TEXT, type SlackMessage, section } from './blocks';
import {
  cut,
  dateToken,
  escapeMrkdwn,
  link,
  mentionList,
  mentionUser,
  mentionUsergroup,
  possessive,
  safeUrl,
  spokenDuration,
} from './format';

/** Titles are at most 150 characters; a headline shows them whole. */
const titleOf = (request: Request) => `*${escapeMrkdwn(request.title)}*`;

// ---------------------------------------------------------------------------------------------
// The at-risk warning

export interface AtRiskInput {
  request: Request;
  kind: TargetKind;
  /** Working ms left before the target falls due. */
  remaining: number;
  due: number | null;
  providerName: string;
  cardLink?: string;
  /** true for the DM to the assignee; false for the provider's channel (nobody assigned). */
  toAssignee: boolean;
  /** For the channel when nobody is assigned: the provider, whose people on duty are mentioned. */
  onDuty?: Pick<Department, 'usergroup' | 'members' | 'heads'>;
}

/** At most this many people are mentioned by name; a department with more has a user group to mention. */
export const MAX_DUTY_MENTIONS = 10;

/**
 * Who is pinged about a request nobody has taken: the department's user group when it has one,
 * else its members (its heads when it lists none), the first MAX_DUTY_MENTIONS of them and then
 * `and N more`.
 */
export function onDutyMentions(dept: Pick<Department, 'usergroup' | 'members' | 'heads'>): string {
  if (dept.usergroup) return mentionUsergroup(dept.usergroup);
  const people = [...new Set(dept.members.length > 0 ? dept.members : dept.heads)];
  return mentionList(people, MAX_DUTY_MENTIONS);
}

/**
 * The warning that a target is at risk: to the assignee, or to the provider's channel when nobody
 * is assigned, mentioning the department's people on duty (`onDuty`) so that someone hears of it.
 */
export function atRiskWarning(input: AtRiskInput): SlackMessage {
  const { request, kind } = input;
  const id = escapeMrkdwn(request.id);
  const left = input.remaining > 0 ? `${spokenDuration(input.remaining)} of working time left` : 'no working time left';
  const due = input.due !== null ? `, due ${dateToken(input.due)}` : '';
  const headline = `:warning: ${id}'s ${kind} target is at risk: ${left}${due}.`;
  const card = link(input.cardLink, 'the card');
  const who = input.toAssignee
    ? `You are assigned.${safeUrl(input.cardLink) ? ` See ${card}.` : ''}`
    : request.assignee
      ? `${mentionUser(request.assignee)} is assigned — see ${card}.`
      : input.onDuty
        ? `${onDutyMentions(input.onDuty)}: nobody has taken it yet. Could one of you take it? Press *Assign to me* on ${card}.`
        : `Nobody is assigned — *Assign to me* on ${card}.`;
  const blocks: KnownBlock[] = [
    section(`${headline}\n${titleOf(request)}`),
    section(who),
    context(`Working time on ${possessive(escapeMrkdwn(input.providerName))} calendar.`),
  ];
  // The text is whole on its own: a thread line may post it without the blocks.
  return { text: cut(`${headline} ${titleOf(request)}\n${who}`, MAX_SECTION_TEXT), blocks };
}

// ---------------------------------------------------------------------------------------------
// A step of an escalation ladder

export interface EscalationInput {
  request: Request;
  /** The step's place in the ladder (0-based) and what it watches. */
  step: number;
  kind: TargetKind;
  /** Unacknowledged for this many working ms; absent for a share of a target. */
  unacknowledgedFor?: number;
  /** Share of the target the step stands at. */
  share?: number;
  /** Working ms left before the target falls due (negative once past). */
  remaining: number;
  due: number | null;
  /** How long after the step's true instant it went out (0 when on time). */
  lateBy: number;
  providerName: string;
  cardLink?: string;
  /** Who reads it: the assignee, the provider's channel, or a head of either side. */
  audience: 'assignee' | 'channel' | 'provider_heads' | 'customer_heads';
  onDuty?: Pick<Department, 'usergroup' | 'members' | 'heads'>;
}

/** A late step says how late it went out, from the scan's lateness of a minute or more. */
const LATE_NOTE_MS = 60_000;

/**
 * A step of the escalation ladder the two departments agreed: which request, what has happened
 * (unacknowledged for so long, or this share of a target used), the time left, and buttons to act
 * on it (acknowledge, assign to me) for the provider's side.
 */
export function escalationNotice(input: EscalationInput): SlackMessage {
  const { request, kind } = input;
  const id = escapeMrkdwn(request.id);
  const what =
    input.unacknowledgedFor !== undefined
      ? `${id} has waited ${spokenDuration(input.unacknowledgedFor)} of working time without anyone acknowledging it`
      : `${id} has used ${Math.round((input.share ?? 0) * 100)}% of its ${kind} target`;
  const left =
    input.remaining > 0
      ? `${spokenDuration(input.remaining)} of working time left for the ${kind} target`
      : `the ${kind} target has no working time left`;
  const due = input.due !== null ? `, due ${dateToken(input.due)}` : '';
  const headline = `:rotating_light: ${what}: ${left}${due}.`;
  const late =
    input.lateBy >= LATE_NOTE_MS
      ? ` Sorry, this reaches you ${spokenDuration(input.lateBy)} later than the agreement sets; Kept could not check sooner.`
      : '';
  const card = link(input.cardLink, 'the card');
  const ask =
    input.audience === 'customer_heads'
      ? `Your agreement with ${escapeMrkdwn(input.providerName)} asks Kept to tell you at this step; ${escapeMrkdwn(input.providerName)} has been told too.`
      : request.assignee
        ? `${input.audience === 'assignee' ? 'You are' : `${mentionUser(request.assignee)} is`} assigned — a word on ${card} helps the requester know where it stands.`
        : input.onDuty
          ? `${onDutyMentions(input.onDuty)}: nobody has taken it yet. Could one of you take it now?`
          : `Nobody has taken it yet. Could you find someone in ${escapeMrkdwn(input.providerName)} to take it now?`;
  const step = `Step ${input.step + 1} of the escalation ladder in the agreement "${escapeMrkdwn(request.service)}"; working time on ${possessive(escapeMrkdwn(input.providerName))} calendar.`;
  const blocks: KnownBlock[] = [section(`${headline}\n${titleOf(request)}`), section(`${ask}${late}`)];
  if (input.audience !== 'customer_heads' && isLive(request)) {
    const buttons = [
      ...(request.acknowledgedAt === undefined
        ? [button(IDS.requestAction.acknowledge, 'Acknowledge', request.id, 'primary')]
        : []),
      ...(request.assignee ? [] : [button(IDS.requestAction.assignMe, 'Assign to me', request.id)]),
    ];
    if (buttons.length > 0) blocks.push({ type: 'actions', elements: buttons } as ActionsBlock);
  }
  blocks.push(context(step));
  return { text: cut(`${headline} ${titleOf(request)}\n${ask}${late}`, MAX_SECTION_TEXT), blocks };
}
