/**
 * The daily reminder while a target is breached and the request still open (domain/overdue.ts):
 * to the assignee by DM, or to the provider's channel (the card's thread, broadcast) while nobody
 * is assigned, mentioning the people on duty. A pure function of the request.
 */
import type { ActionsBlock, KnownBlock } from '@slack/types';
import type { Department } from '../../domain/department';
import { isLive, type Request } from '../../domain/request';
import type { TargetKind } from '../../domain/target-clock';
import { IDS } from '../ids';
import { button, context, MAX_SECTION_TEXT, type SlackMessage, section } from './blocks';
import { cut, dateToken, escapeMrkdwn, link, mentionUser, possessive, safeUrl, spokenDuration } from './format';
import { onDutyMentions } from './warnings';

export interface OverdueReminderInput {
  request: Request;
  kind: TargetKind;
  /** Working ms past the missed due instant. */
  lateBy: number;
  dueAt: number;
  providerName: string;
  cardLink?: string;
  /** The assignee reads it in a DM; otherwise the channel, where `onDuty` is mentioned. */
  toAssignee: boolean;
  onDuty?: Pick<Department, 'usergroup' | 'members' | 'heads'>;
}

/**
 * What is still late and by how much, what helps today, and the buttons to do it: acknowledge a
 * missed response, take it when nobody has, resolve it when it is done.
 */
export function overdueReminder(input: OverdueReminderInput): SlackMessage {
  const { request, kind } = input;
  const id = escapeMrkdwn(request.id);
  const over = input.lateBy > 0 ? `${spokenDuration(input.lateBy)} of working time over` : 'just over';
  const what = kind === 'response' ? 'has had no response yet' : 'is not resolved yet';
  const headline = `:alarm_clock: ${id} ${what}: its ${kind} target is ${over} (it was due ${dateToken(input.dueAt)}).`;
  const title = `*${escapeMrkdwn(request.title)}*`;
  const thread = safeUrl(input.cardLink) ? link(input.cardLink, "the card's thread") : "the card's thread";
  // In the channel the requester is not pinged: the reminder is for the provider's people.
  const requester = input.toAssignee ? mentionUser(request.requester) : 'the requester';
  const ask = input.toAssignee
    ? `You are assigned, and ${requester} is still waiting. A word in ${thread} today — where it stands, what is next — helps more than a perfect answer later. Resolve it if it is done.`
    : request.assignee
      ? `${mentionUser(request.assignee)} is assigned; ${requester} is still waiting. A word in ${thread} today helps.`
      : `${input.onDuty ? `${onDutyMentions(input.onDuty)}: nobody` : 'Nobody'} has taken it yet, and ${requester} is still waiting. Could one of you take it today?`;
  const blocks: KnownBlock[] = [section(`${headline}\n${title}`), section(ask)];
  if (isLive(request)) {
    const buttons = [
      ...(kind === 'response' && request.acknowledgedAt === undefined
        ? [button(IDS.requestAction.acknowledge, 'Acknowledge', request.id, 'primary')]
        : []),
      ...(request.assignee ? [] : [button(IDS.requestAction.assignMe, 'Assign to me', request.id)]),
      ...(request.status !== 'waiting_on_requester'
        ? [button(IDS.requestAction.resolve, 'Resolve', request.id, kind === 'resolution' ? 'primary' : undefined)]
        : []),
    ];
    blocks.push({ type: 'actions', block_id: `request_overdue:${request.id}`, elements: buttons } as ActionsBlock);
  }
  blocks.push(
    context(
      `Kept reminds once a working day while a missed target is still open; working time on ${possessive(escapeMrkdwn(input.providerName))} calendar.`,
    ),
  );
  // The text is whole on its own: the channel's thread line posts it without the blocks.
  return { text: cut(`${headline} ${title}\n${ask}`, MAX_SECTION_TEXT), blocks };
}
