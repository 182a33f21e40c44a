/**
 * Request commands, answered in the ack: the working commands
 * (`/sla ack|resolve|close|reopen|pause|resume|cancel|note|reply|waive|priority ID [note]`), `/sla show` and
 * `/sla list`; and the App Home, which publishes the same lists. The rules are in
 * domain/request.ts, the flow in services/requests.ts, and the card, thread and DMs are posted by the worker.
 */

import type { SlashCommand } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { PRIORITIES } from '../../domain/agreement';
import { internalNote } from '../../domain/conversation';
import { type Department, isMember } from '../../domain/department';
import { type Directory, departmentsHeadedBy, departmentsOf, findDepartment } from '../../domain/directory';
import { maySeeRequest, noSuchRequest } from '../../domain/privacy';
import { answerers } from '../../domain/proposal';
import type { Report } from '../../domain/report';
import { resolvePeriod } from '../../domain/report-period';
import {
  CAUSE_CATEGORIES,
  type Cause,
  clocksAt,
  nextDue,
  parseRequestId,
  type Request,
  type RequestAction,
  seenByRequester,
} from '../../domain/request';
import { waitedAt } from '../../domain/waiting';
import { calendarOf } from '../../services/calendars';
import { type ActResult, act } from '../../services/requests';
import { readDirectory } from '../../store/directory';
import { getRequestRecord, queueOf, requestsOf } from '../../store/requests';
import { readReport } from '../../store/stats';
import { agreementTitle } from '../views/agreement-terms';
import { escapeMrkdwn } from '../views/format';
import { type HomeNeeds, type ListItem, requestList, requestsHomeView, urgencyOrder } from '../views/request-lists';
import { requestDetails } from '../views/requests';
import type { ListenerDeps } from './deps';
import { kudosHome } from './kudos';
import { type Ephemeral, say } from './reply';

const VERBS: Record<string, { build: (note: string) => RequestAction | string; done: (id: string) => string }> = {
  ack: {
    build: (note) => ({ type: 'acknowledge', ...(note ? { note } : {}) }),
    done: (id) => `Acknowledged ${id}; the requester is told.`,
  },
  acknowledge: {
    build: (note) => ({ type: 'acknowledge', ...(note ? { note } : {}) }),
    done: (id) => `Acknowledged ${id}; the requester is told.`,
  },
  resolve: {
    build: (text) => {
      const { cause, rest: note } = takeCause(text);
      if (typeof cause === 'string') return cause;
      return note
        ? { type: 'resolve', note, ...(cause ? { cause } : {}) }
        : 'Say in a few words how it was solved, e.g. `/sla resolve IT-42 replaced the toner`: the requester reads it.';
    },
    done: (id) => `Resolved ${id}; the requester is asked to confirm and rate it.`,
  },
  close: {
    build: (note) => ({ type: 'close', ...(note ? { note } : {}) }),
    done: (id) => `Closed ${id}. Thank you for confirming.`,
  },
  reopen: {
    build: (note) => ({ type: 'reopen', ...(note ? { note } : {}) }),
    done: (id) => `Reopened ${id}; a new cycle starts: its whole resolution target runs afresh from now.`,
  },
  pause: {
    // `/sla pause IT-42 --third-party waiting on the vendor's part`: waiting on someone else.
    build: (text) => {
      const thirdParty = /^--third-party(\s|$)/.test(text);
      const note = thirdParty ? text.slice('--third-party'.length).trim() : text;
      return { type: 'pause', ...(note ? { note } : {}), ...(thirdParty ? { thirdParty } : {}) };
    },
    done: (id) => `${id} is waiting on the requester; its resolution clock is paused and they are asked for input.`,
  },
  resume: {
    build: (note) => ({ type: 'resume', ...(note ? { note } : {}) }),
    done: (id) => `${id} is back in progress; its resolution clock runs again.`,
  },
  cancel: {
    build: (note) => ({ type: 'cancel', ...(note ? { note } : {}) }),
    done: (id) => `Cancelled ${id}; its clocks are stopped.`,
  },
  note: {
    build: (note) =>
      note
        ? { type: 'comment', note: internalNote(note).text, side: 'provider', internal: true }
        : 'Write the note, e.g. `/sla note IT-42 waiting on the vendor`: only your department sees it.',
    done: (id) => `Added an internal note to ${id}; its requester does not see it.`,
  },
  reply: {
    build: (text) =>
      text
        ? { type: 'comment', note: text }
        : 'Write what to send, e.g. `/sla reply IT-42 it happens on the 3rd floor too`: the other side reads it.',
    done: (id) => `Sent; it is in the history of ${id}.`,
  },
  waive: {
    build: (text) => {
      const [kind, ...rest] = text.split(/\s+/);
      if (kind !== 'response' && kind !== 'resolution')
        return 'Which penalty? `/sla waive IT-42 response|resolution why` (an earlier cycle: `resolution cycle 1 why`).';
      // An earlier cycle's resolution breach: `/sla waive IT-42 resolution cycle 1 why`.
      const cycle = rest[0]?.toLowerCase() === 'cycle' && /^\d{1,4}$/.test(rest[1] ?? '') ? Number(rest[1]) : undefined;
      const reason = rest
        .slice(cycle === undefined ? 0 : 2)
        .join(' ')
        .trim();
      return reason
        ? { type: 'waive', kind, reason, ...(cycle === undefined ? {} : { cycle }) }
        : 'Say why it is waived, e.g. `/sla waive IT-42 response we changed their priority late`: the ledger keeps it.';
    },
    done: (id) => `Waived; the ledger of ${id}'s agreement has a compensating entry with your reason.`,
  },
  priority: {
    build: (text) => {
      const [word, ...rest] = text.split(/\s+/);
      const priority = PRIORITIES.find((p) => p === word?.toUpperCase());
      if (!priority)
        return word
          ? `"${escapeMrkdwn(word)}" is not a priority; use P1, P2, P3 or P4, e.g. \`/sla priority IT-42 P1 the whole floor is offline\`.`
          : 'Which priority? `/sla priority IT-42 P1 the whole floor is offline`.';
      const reason = rest.join(' ').trim();
      return reason
        ? { type: 'priority', priority, reason }
        : `Say why it should be ${priority}, e.g. \`/sla priority IT-42 ${priority} the whole floor is offline\`: the history keeps it.`;
    },
    done: (id) =>
      `${id} has its new priority; its due times are counted again from the filing and the card shows the originals.`,
  },
  transfer: {
    build: (text) => {
      const [word, ...rest] = text.split(/\s+/);
      if (!word) return 'Which department? `/sla transfer IT-42 HR payroll questions belong to HR`.';
      const reason = rest.join(' ').trim();
      return reason
        ? { type: 'transfer', to: word, reason }
        : `Say why it belongs to ${escapeMrkdwn(word)}, e.g. \`/sla transfer IT-42 ${escapeMrkdwn(word)} payroll questions belong there\`: they read it.`;
    },
    done: (id) => `${id} is handed over; its card is on its way to the new department, and its requester is told.`,
  },
};

/**
 * `cause:staffing` (or `cause:unclear`) anywhere in a resolve note: the cause of a missed target.
 * A string is what to say back when the word is not a cause.
 */
function takeCause(text: string): { cause?: Cause | string; rest: string } {
  const m = /(?:^|\s)cause:(\S+)/i.exec(text);
  if (!m) return { rest: text };
  const word = m[1]!.toLowerCase().replace(/-/g, '_');
  const category = CAUSE_CATEGORIES.find((c) => c === word || c.startsWith(`${word}_`));
  const rest = `${text.slice(0, m.index)} ${text.slice(m.index + m[0].length)}`.replace(/\s+/g, ' ').trim();
  if (!category) return { cause: `"${m[1]}" is not a cause; use cause:${CAUSE_CATEGORIES.join(', cause:')}.`, rest };
  return { cause: { category }, rest };
}

function resultLine(result: ActResult, done: string): string {
  if (result.outcome === 'refused') return result.message;
  if (result.outcome === 'duplicate') return 'Already done: Slack sent that twice.';
  return done;
}

/** `/sla ack|resolve|… ID [note]`, answered in the ack. */
export async function workCommand(
  deps: ListenerDeps,
  command: SlashCommand,
  verb: string,
  args: string[],
): Promise<Ephemeral> {
  const spec = VERBS[verb]!;
  const [first, ...rest] = args;
  const id = first ? parseRequestId(first) : undefined;
  if (!id)
    return say(
      `Which request? Write its ID, e.g. \`/sla ${verb} IT-42${verb === 'resolve' ? ' replaced the toner' : ''}\`. \`/sla list\` shows yours.`,
    );
  const action = spec.build(rest.join(' ').trim());
  if (typeof action === 'string') return say(action);
  const result = await act(deps.db, {
    admins: deps.config.KEPT_ADMINS,
    id,
    user: command.user_id,
    action,
    delivery: `command:${command.trigger_id}`,
    now: deps.now(),
  });
  if (result.outcome === 'done') await deps.outbox.send({ type: 'request.changed', id });
  if (verb === 'pause' && result.outcome === 'done' && result.request.status === 'waiting_on_third_party')
    return say(
      result.request.clocks.resolution.state === 'paused'
        ? `${id} is waiting on a third party; its agreement pauses the resolution clock meanwhile. \`/sla resume ${id}\` when they answer.`
        : `${id} is waiting on a third party; its resolution clock keeps running, as its agreement sets. \`/sla resume ${id}\` when they answer.`,
    );
  if (verb === 'reply' && result.outcome === 'done')
    return say(
      result.event.side === 'requester'
        ? `Posted in the thread of ${id}'s card; ${result.provider.name} reads it there.`
        : `Sent to <@${result.request.requester}> in their DM about ${id}.`,
    );
  if (verb === 'transfer' && result.outcome === 'done')
    return say(
      `${id} is now with ${escapeMrkdwn(result.event.transfer?.toName ?? 'the new department')}: its card is on its way to their channel, its clocks start again there, and its requester is told.`,
    );
  const asked = result.outcome === 'done' && result.event.asked === true;
  return say(
    resultLine(
      result,
      asked
        ? `Asked ${escapeMrkdwn(result.provider.name)} to make ${id} ${result.event.priority}; they decide, and you will see it on the card.`
        : spec.done(id),
    ),
  );
}

/** `/sla show ID`. */
export async function showCommand(deps: ListenerDeps, user: string, arg: string | undefined): Promise<Ephemeral> {
  const id = arg ? parseRequestId(arg) : undefined;
  if (!id) return say('Which request? Write its ID, e.g. `/sla show IT-42`. `/sla list` shows yours.');
  const [record, dir] = await Promise.all([getRequestRecord(deps.db, id), readDirectory(deps.db)]);
  if (!record || !maySeeRequest(record.request, dir, user, deps.config.KEPT_ADMINS)) return say(noSuchRequest(id));
  const provider = findDepartment(dir, record.request.provider);
  if (!provider) return say(`${id} belongs to a department that no longer exists in Kept.`);
  const at = deps.now().getTime();
  const calendar = calendarOf(provider);
  const message = requestDetails({
    request: record.request,
    clocks: clocksAt(record.request, calendar, at),
    waited: waitedAt(record.request, calendar, at),
    forRequester: record.request.requester === user,
    at,
    providerName: provider.name,
    customerName: findDepartment(dir, record.request.customer)?.name ?? record.request.customer,
    // Internal notes only to the people who work the request.
    history: isMember(provider, user) ? record.events : record.events.filter(seenByRequester),
  });
  return { response_type: 'ephemeral', text: message.text, blocks: message.blocks };
}

function listItems(dir: Directory, requests: readonly Request[], at: number): ListItem[] {
  return requests.map((request) => {
    const provider = findDepartment(dir, request.provider);
    return { request, next: provider ? nextDue(request, calendarOf(provider), at) : null };
  });
}

/** `/sla list [mine|queue|breached]`. */
export async function listCommand(deps: ListenerDeps, user: string, arg: string | undefined): Promise<Ephemeral> {
  const which = (arg ?? 'mine').toLowerCase();
  if (!['mine', 'queue', 'breached'].includes(which))
    return say(
      '`/sla list mine` (what you filed), `/sla list queue` (what your department works on) or `/sla list breached` (missed targets in either).',
    );
  const at = deps.now().getTime();
  const dir = await readDirectory(deps.db);
  const teams = departmentsOf(dir, user);
  const mine = which === 'queue' ? [] : listItems(dir, await requestsOf(deps.db, user), at);
  const queue =
    which === 'mine'
      ? []
      : listItems(dir, (await Promise.all(teams.map((d) => queueOf(deps.db, d.id)))).flat(), at).sort(urgencyOrder);
  let message;
  if (which === 'mine')
    message = requestList({
      title: 'Your requests',
      items: mine,
      empty: 'You have not filed any requests. File one with `/sla new`.',
      at,
    });
  else if (which === 'queue') {
    const empty =
      teams.length === 0
        ? 'You are not in any department, so you have no queue.'
        : `Nothing waiting for ${teams.map((d) => escapeMrkdwn(d.name)).join(' or ')}.`;
    message = requestList({ title: 'Your queue, most urgent first', items: queue, empty, at });
  } else {
    const seen = new Set<string>();
    const breached = [...queue, ...mine].filter(
      (i) => i.next?.status === 'breached' && !seen.has(i.request.id) && seen.add(i.request.id),
    );
    message = requestList({
      title: 'Missed targets still open',
      items: breached,
      empty: 'Nothing open has missed a target. :tada:',
      at,
    });
  }
  return { response_type: 'ephemeral', text: message.text, blocks: message.blocks };
}

/**
 * The App Home: first what needs the person now (requests assigned to them by time left, their
 * requests waiting on their answer, proposals for them to answer, missed targets to recover), each
 * with its buttons; then, for heads, their departments this month; then my requests, the queue of
 * every department I work in, and kudos. Someone in no department is told who can add them.
 */
export async function publishHome(deps: ListenerDeps, client: WebClient, user: string): Promise<void> {
  const at = deps.now().getTime();
  const dir = await readDirectory(deps.db);
  const teams = departmentsOf(dir, user);
  const heads = departmentsHeadedBy(dir, user);
  const [mine, queues, kudos, headed] = await Promise.all([
    requestsOf(deps.db, user),
    Promise.all(teams.map((d) => queueOf(deps.db, d.id))),
    kudosHome(deps, client, user),
    Promise.all(heads.map((d) => thisMonth(deps, dir, d, at))),
  ]);
  const mineItems = listItems(dir, mine, at);
  const queueItems = teams.map((_, i) => listItems(dir, queues[i] ?? [], at).sort(urgencyOrder));
  const view = requestsHomeView({
    headed,
    kudos,
    needs: homeNeeds(dir, deps.config.KEPT_ADMINS, user, mineItems, queueItems.flat()),
    ...(teams.length === 0 ? { outsider: { admins: deps.config.KEPT_ADMINS } } : {}),
    mine: mineItems,
    queues: teams.map((d, i) => ({
      department: { id: d.id, name: d.name, channel: d.channel },
      items: queueItems[i] ?? [],
    })),
    at,
  });
  await client.views.publish({ user_id: user, view });
}

/**
 * What needs `user` now, from their requests and their departments' queues (live requests):
 * assigned to them (soonest due first, missed first), theirs paused waiting on their answer,
 * proposals they are to answer, and missed targets to recover: every one in a department they head,
 * and the unassigned ones in the other departments they work in (anyone there can pick them up).
 */
export function homeNeeds(
  dir: Directory,
  admins: readonly string[],
  user: string,
  mine: readonly ListItem[],
  queued: readonly ListItem[],
): HomeNeeds {
  const seen = new Set<string>();
  const live = queued.filter((i) => !seen.has(i.request.id) && seen.add(i.request.id));
  const assigned = live.filter((i) => i.request.assignee === user).sort(urgencyOrder);
  const headed = new Set(departmentsHeadedBy(dir, user).map((d) => d.id));
  const breaches = live
    .filter(
      (i) =>
        i.next?.status === 'breached' &&
        i.request.assignee !== user &&
        (headed.has(i.request.provider) || i.request.assignee === undefined),
    )
    .sort(urgencyOrder);
  const waiting = mine
    .filter((i) => i.request.status === 'waiting_on_requester')
    .sort((a, b) => b.request.updatedAt - a.request.updatedAt);
  const proposals = dir.agreements
    .flatMap((a) => (a.pending && answerers(dir, admins, a.pending).includes(user) ? [a.pending] : []))
    .map((p) => ({
      id: p.id,
      version: p.version,
      title: agreementTitle(p, dir),
      ...(p.proposedBy ? { by: p.proposedBy } : {}),
    }));
  return { assigned, waiting, proposals, breaches };
}

/** A headed department's report for this month in its own time zone, from its day counters (one query). */
async function thisMonth(deps: ListenerDeps, dir: Directory, d: Department, at: number): Promise<Report> {
  const period = resolvePeriod('this-month', at, d.calendar.timezone);
  if (!period.ok) throw new Error(period.error);
  return readReport(deps.db, dir, d, period.value, 0);
}
