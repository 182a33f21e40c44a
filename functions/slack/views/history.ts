import { DAY_MS } from '../../domain/duration';
import { AUTO_CLOSE_MS, CAUSE_LABEL, type RequestEvent, type RequestStatus, SYSTEM_ACTOR } from '../../domain/request';
import type { TargetKind } from '../../domain/target-clock';
import { actorText, clip, dateToken, escapeMrkdwn, link, mentionUser, plural, quoted } from './format';

/** `Unclear request` for `unclear_request`; an unknown category (an older record) as given, escaped. */
const causeLabel = (category: string): string =>
  (CAUSE_LABEL as Record<string, string | undefined>)[category] ?? escapeMrkdwn(category);

/** `Staffing — two people off sick` (escaped); an unknown category is shown as given. */
export function causeText(cause: { category: string; text?: string }): string {
  const label = causeLabel(cause.category);
  return cause.text?.trim() ? `${label} — ${escapeMrkdwn(cause.text.trim())}` : label;
}

export interface HistoryEvent {
  type: RequestEvent['type'];
  actor: string;
  at: number;
  note?: string;
  assignee?: string;
  /** unassign: who had it (they left Slack). */
  previousAssignee?: string;
  score?: number;
  /** recover: the step; recovered: the requester's answer. */
  recovery?: RequestEvent['recovery'];
  recovered?: boolean;
  to: RequestStatus;
  /** When known: a requester's comment that ended a wait says the clock runs again. */
  from?: RequestStatus | null;
  /** warn, breach, waive: which target. */
  kind?: TargetKind;
  /** breach, waive: the reopen cycle, when not the first. */
  cycle?: number;
  /** escalate: which step of the ladder (0-based). */
  step?: number;
  /** unanswered: the waiting rule Kept applied. */
  rule?: 'remind' | 'resume' | 'close';
  /** resolve of a request that missed a target: why. */
  cause?: { category: string; text?: string };
  /** comment: which side said it, whether it is an internal note, and the files shared with it. */
  side?: 'provider' | 'requester';
  internal?: boolean;
  files?: readonly { name: string; permalink: string }[];
  /** priority: the new (or asked-for) priority and the one before; `asked` when the requester asked. */
  priority?: string;
  previousPriority?: string;
  asked?: boolean;
  /** transfer: where it went. */
  transfer?: { fromName: string; toName: string };
}

/** ` · :paperclip: <link|name>, …` for the files shared with a message; empty without. */
export function filesText(files: readonly { name: string; permalink: string }[] | undefined): string {
  if (!files || files.length === 0) return '';
  return ` · :paperclip: ${files.map((f) => link(f.permalink, escapeMrkdwn(clip(f.name, 80)))).join(', ')}`;
}

/** `(IT)`, `(IT, internal note)` or `(requester)`: who spoke in a request's conversation. */
function sideText(event: HistoryEvent, providerName: string | undefined): string {
  if (!event.side) return '';
  const who = event.side === 'provider' ? escapeMrkdwn(providerName ?? 'provider') : 'requester';
  return ` (${who}${event.internal ? ', internal note' : ''})`;
}

/**
 * One line of a request's history, as the card's thread and `/sla show` say it. `providerName`
 * names the provider's side on a line of the conversation. Read by the whole channel, so a miss or
 * a waiver never says what it cost (decisions.md). `nameOf` gives a
 * person's name where the worker looked it up: the person who acted is named, not mentioned, so
 * nobody is notified about their own click (the people a line is for, an assignee, still are).
 */
export function historyLine(
  event: HistoryEvent,
  requestId: string,
  providerName?: string,
  nameOf: (user: string) => string | undefined = () => undefined,
): string {
  const named = nameOf(event.actor);
  const who = named ? `*${escapeMrkdwn(named)}*` : actorText(event.actor);
  const id = escapeMrkdwn(requestId);
  const note = event.note ? quoted(event.note) : undefined;
  const cycle = event.cycle !== undefined && event.cycle > 1 ? ` (cycle ${event.cycle})` : '';
  const target = event.kind ? `${event.kind} target${cycle}` : 'target';
  const withNote = (line: string) => (note ? `${line}: ${note}` : line);
  const when = ` — ${dateToken(event.at)}`;
  switch (event.type) {
    case 'filed':
      return `:inbox_tray: ${who} filed ${id}${when}`;
    case 'acknowledge':
      return `${withNote(`:eyes: ${who} acknowledged ${id}`)}${when}`;
    case 'assign':
      if (event.assignee && event.assignee === event.actor) return `:bust_in_silhouette: ${who} took ${id}${when}`;
      return `:bust_in_silhouette: ${who} assigned ${id} to ${event.assignee ? mentionUser(event.assignee) : 'someone'}${when}`;
    case 'pause':
      if (event.to === 'waiting_on_third_party')
        return `${withNote(`:hourglass_flowing_sand: ${who} is waiting on a third party for ${id}`)}${when}`;
      return `${note ? `:hourglass: ${who} is waiting on the requester: ${note}` : `:hourglass: ${who} is waiting on the requester; the resolution clock is paused`}${when}`;
    case 'resume':
      return `${withNote(`:arrow_forward: ${who} resumed ${id}; the resolution clock runs again`)}${when}`;
    case 'resolve': {
      const c = event.cause;
      const cause = c ? ` — cause: ${causeLabel(c.category)}${c.text?.trim() ? `: ${quoted(c.text.trim())}` : ''}` : '';
      return `${withNote(`:white_check_mark: ${who} resolved ${id}`)}${cause}${when}`;
    }
    case 'close':
      if (event.actor === SYSTEM_ACTOR)
        return `:lock: ${id} closed itself: resolved ${plural(AUTO_CLOSE_MS / DAY_MS, 'day')} ago and not reopened${when}`;
      return `${withNote(`:lock: ${who} confirmed ${id} is solved and closed it`)}${when}`;
    case 'reopen':
      return `${withNote(`:arrows_counterclockwise: ${who} reopened ${id}; a new cycle: its resolution target runs afresh`)}${when}`;
    case 'cancel':
      return `${withNote(`:x: ${who} cancelled ${id}`)}${when}`;
    case 'comment': {
      const resumed =
        event.from === 'waiting_on_requester' && event.to !== 'waiting_on_requester'
          ? ' (the resolution clock runs again)'
          : '';
      const emoji = event.internal ? ':lock:' : ':speech_balloon:';
      return `${emoji} ${who}${sideText(event, providerName)}: ${note ?? ''}${filesText(event.files)}${resumed}${when}`;
    }
    case 'rate':
      return `:star: ${who} rated ${id} ${event.score ?? '?'}/5${note ? ` — ${note}` : ''}${when}`;
    case 'warn':
      return `:warning: ${id}'s ${target} is at risk${when}`;
    case 'escalate':
      return `:rotating_light: ${id} reached step ${(event.step ?? 0) + 1} of its escalation ladder (${target}); Kept told the people the agreement names${when}`;
    case 'remind':
      return `:alarm_clock: ${id} is still past its ${target}; Kept sent its daily reminder${when}`;
    case 'unanswered':
      if (event.rule === 'remind') return `:bell: Kept reminded the requester that ${id} waits on their answer${when}`;
      if (event.rule === 'close')
        return `:lock: Kept closed ${id} because nobody answered within the agreement's waiting time${when}`;
      return `:arrow_forward: Kept resumed ${id} because nobody answered within the agreement's waiting time; the resolution clock runs again${when}`;
    case 'breach':
      return `:red_circle: ${id} missed its ${target}${when}`;
    case 'priority': {
      const to = escapeMrkdwn(event.priority ?? '?');
      const from = escapeMrkdwn(event.previousPriority ?? '?');
      const line = event.asked
        ? `:raising_hand: ${who} asks for ${id} to be ${to} instead of ${from}; its provider decides (\`/sla priority ${id} ${to} reason\`)`
        : `:arrow_up_down: ${who} changed the priority of ${id} from ${from} to ${to}; due times are counted again from the filing`;
      return `${withNote(line)}${when}`;
    }
    case 'unassign':
      return `:bust_in_silhouette: ${event.previousAssignee ? mentionUser(event.previousAssignee) : 'Its assignee'} has left Slack, so ${id} is back in the queue${when}`;
    case 'transfer': {
      const from = escapeMrkdwn(event.transfer?.fromName ?? 'its provider');
      const to = escapeMrkdwn(event.transfer?.toName ?? 'another department');
      return `${withNote(`:arrow_right: ${who} transferred ${id} from ${from} to ${to}; its clocks start again there`)}${when}`;
    }
    case 'waive': {
      const what = event.kind ? `the ${event.kind} penalty${cycle}` : 'the penalty';
      return `${withNote(`:handshake: ${who} waived ${what} of ${id}`)}${when}`;
    }
    case 'recover': {
      if (event.recovery === 'cause') {
        const c = event.cause;
        const cause = c ? `: ${causeLabel(c.category)}${c.text?.trim() ? ` — ${quoted(c.text.trim())}` : ''}` : '';
        return `:memo: ${who} wrote down why ${id} missed its target${cause}${when}`;
      }
      const said =
        event.recovery === 'apologised'
          ? 'apologised to the requester'
          : event.recovery === 'explained'
            ? 'explained to the requester what happened'
            : 'told the requester how the fix is going';
      return `${withNote(`:pray: ${who} ${said} for ${id}`)}${when}`;
    }
    case 'recovered':
      return event.recovered
        ? `:sparkles: ${who} confirmed that ${id} was put right after the miss${when}`
        : `:grey_question: ${who} said ${id} was not put right after the miss${when}`;
  }
}
