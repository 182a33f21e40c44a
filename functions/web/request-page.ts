/**
 * The request page (`GET /web/requests/:id`): what `/sla show` and `/sla explain` say, on one page.
 * Read like `/sla show`: the request's record (request and history in one query) and the directory,
 * then domain/privacy.ts maySeeRequest; anyone else gets the same "no such request" page whether the
 * request exists or not. The conversation's internal notes only for the provider's people, as in
 * Slack; what a miss cost only for the heads of the two sides and Kept admins. Times are in the
 * provider's time zone (the page cannot know the reader's), and the page says so.
 */

import { DateTime } from 'luxon';
import { type CalendarSpec, WEEKDAYS } from '../domain/calendar';
import { weekdaysText, weeklyHours } from '../domain/calendar-words';
import { isHead, isMember } from '../domain/department';
import { findDepartment } from '../domain/directory';
import { formatDuration } from '../domain/duration';
import { explainRequest, type SkipReason, type Stretch, type TargetExplanation } from '../domain/explain';
import { maySeeRequest } from '../domain/privacy';
import {
  type Breach,
  CAUSE_LABEL,
  parseRequestId,
  type Request,
  type RequestEvent,
  STATUS_LABEL,
  SYSTEM_ACTOR,
  seenByRequester,
} from '../domain/request';
import type { TargetKind } from '../domain/target-clock';
import { calendarOf } from '../services/calendars';
import type { Db } from '../store/client';
import { readDirectory } from '../store/directory';
import { getRequestRecord } from '../store/requests';
import { esc, layout } from './pages';

/** The path of a request's page. */
export const requestPath = (id: string): string => `/web/requests/${encodeURIComponent(id)}`;

/** At most this many stretches per target; a longer list keeps its start and end and sums up the middle. */
export const STRETCHES_MAX = 24;

export interface PenaltyLine {
  kind: TargetKind;
  cycle: number;
  breach: Breach;
}

export interface RequestPageView {
  viewer: string;
  request: Request;
  providerName: string;
  customerName: string;
  calendar: CalendarSpec;
  zone: string;
  explanations: Record<TargetKind, TargetExplanation>;
  /** Everything but the conversation, oldest first. */
  timeline: RequestEvent[];
  /** Replies and notes, oldest first: internal notes only for the provider's people. */
  conversation: RequestEvent[];
  /** Only for heads of either side and Kept admins. */
  penalties?: PenaltyLine[];
}

/** Every breach the request recorded: this cycle's, earlier cycles', and those of providers before a transfer. */
function penaltyLines(request: Request): PenaltyLine[] {
  const lines: PenaltyLine[] = [];
  const add = (breaches: Request['breaches'], cycles: Request['cycles'], current: number) => {
    for (const c of cycles ?? []) if (c.breach) lines.push({ kind: 'resolution', cycle: c.n, breach: c.breach });
    for (const kind of ['response', 'resolution'] as const) {
      const breach = breaches?.[kind];
      if (breach) lines.push({ kind, cycle: kind === 'response' ? 1 : current, breach });
    }
  };
  for (const t of request.transfers ?? []) add(t.breaches, t.cycles, (t.cycles?.length ?? 0) + 1);
  add(request.breaches, request.cycles, (request.cycles?.length ?? 0) + 1);
  return lines.sort((a, b) => a.breach.dueAt - b.breach.dueAt);
}

/** The page's content, or undefined for an unknown ID and for a request `user` may not see (told apart by nobody). */
export async function readRequestPage(
  db: Db,
  user: string,
  admins: readonly string[],
  rawId: string,
  now: Date,
): Promise<RequestPageView | undefined> {
  const id = parseRequestId(rawId);
  if (!id) return undefined;
  const [record, dir] = await Promise.all([getRequestRecord(db, id), readDirectory(db)]);
  if (!record || !maySeeRequest(record.request, dir, user, admins)) return undefined;
  const { request } = record;
  const provider = findDepartment(dir, request.provider);
  if (!provider) return undefined;
  const customer = findDepartment(dir, request.customer);
  const calendar = calendarOf(provider);
  const at = now.getTime();
  const worksIt = isMember(provider, user);
  const events = [...record.events].sort((a, b) => a.seq - b.seq);
  const seesPenalties = admins.includes(user) || isHead(provider, user) || (customer ? isHead(customer, user) : false);
  return {
    viewer: user,
    request,
    providerName: provider.name,
    customerName: customer?.name ?? request.customer,
    calendar: calendar.spec,
    zone: calendar.zone,
    explanations: explainRequest(request, calendar, at),
    timeline: events.filter((e) => e.type !== 'comment'),
    conversation: events.filter((e) => e.type === 'comment' && (worksIt || seenByRequester(e))),
    ...(seesPenalties ? { penalties: penaltyLines(request) } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Rendering

const TARGET_LABEL: Record<TargetKind, string> = { response: 'First response', resolution: 'Resolution' };

/** `<time>` with the instant in the provider's zone: `Tue 17 Nov 2026, 09:00 EST`. */
function when(ms: number, zone: string): string {
  const t = DateTime.fromMillis(ms, { zone });
  return `<time datetime="${esc(t.toUTC().toISO() ?? '')}">${esc(t.toFormat('ccc d LLL yyyy, HH:mm ZZZZ'))}</time>`;
}

/** `1h 30m of working time`: durations as people say them. */
function spoken(ms: number): string {
  const text = formatDuration(Math.abs(ms)).replace(/h(?=\d)/, 'h ');
  return text;
}

/** A person: "you" for the reader, Kept for itself, else the Slack ID (the page has no Slack client to ask names). */
function person(user: string | undefined, viewer: string): string {
  if (!user) return 'someone';
  if (user === viewer) return 'you';
  if (user === SYSTEM_ACTOR) return 'Kept';
  return `<span class="who">${esc(user)}</span>`;
}

/** `Mon–Fri 09:00-17:00`: the calendar's weekly hours, equal neighbouring days grouped. */
function hoursText(spec: CalendarSpec): string {
  return weeklyHours(spec)
    .map((g) => `${g.days} ${g.hours}`)
    .join('; ');
}

function countingText(spec: CalendarSpec, providerName: string): string {
  const allDay = WEEKDAYS.every((d) => !Object.hasOwn(spec.hours ?? {}, d));
  const off: string[] = [];
  if (spec.holidays?.country)
    off.push(
      `${spec.holidays.country.toUpperCase()}${spec.holidays.region ? `-${spec.holidays.region.toUpperCase()}` : ''} public holidays`,
    );
  const dates = spec.holidays?.dates ?? [];
  if (dates.length > 0) off.push(dates.length <= 3 ? dates.join(', ') : `${dates.length} more dates`);
  const holidays = off.length > 0 ? `; ${off.join(' and ')} off` : '';
  if (allDay) return `calendar time, around the clock (${spec.timezone}${holidays})`;
  return `${providerName}'s working hours (${hoursText(spec)}, ${spec.timezone}${holidays})`;
}

/** Why a stretch did not count, in words. */
function reasonText(reason: SkipReason): string {
  const holidayNames = (hs: readonly { date: string; name?: string }[]) =>
    hs.map((h) => h.name ?? `a day off (${h.date})`).join(', ');
  switch (reason.kind) {
    case 'closed':
      return 'outside working hours';
    case 'days_off':
      return weekdaysText(reason.weekdays);
    case 'holiday':
      return `holiday: ${holidayNames(reason.holidays)}${reason.weekdays.length > 0 ? ` and ${weekdaysText(reason.weekdays)}` : ''}`;
    case 'override': {
      const days = reason.days
        .map((d) => `${d.date}: ${d.hours === '' ? 'closed' : `${d.shorter ? 'short day' : 'own hours'}, ${d.hours}`}`)
        .join('; ');
      const also = [
        ...(reason.holidays.length > 0 ? [`holiday: ${holidayNames(reason.holidays)}`] : []),
        ...(reason.weekdays.length > 0 ? [weekdaysText(reason.weekdays)] : []),
      ];
      return `${days}${also.length > 0 ? ` and ${also.join(' and ')}` : ''}`;
    }
    case 'paused':
      return reason.orThirdParty
        ? 'paused: waiting on the requester or a third party'
        : 'paused: waiting on the requester';
    case 'stopped':
      return 'stopped: the request was cancelled';
    case 'met':
      return 'met, until it was reopened';
  }
}

function stretchRow(s: Stretch, zone: string): string {
  const what = s.type === 'counted' ? 'Counted' : 'Skipped';
  const why = s.type === 'counted' ? `${esc(spoken(s.to - s.from))} of working time` : esc(reasonText(s.reason));
  return `<tr class="${s.type}"><td>${when(s.from, zone)}</td><td>${when(s.to, zone)}</td><td>${what}</td><td>${why}</td></tr>`;
}

function stretchRows(stretches: readonly Stretch[], zone: string): string {
  if (stretches.length <= STRETCHES_MAX) return stretches.map((s) => stretchRow(s, zone)).join('');
  const head = Math.floor((STRETCHES_MAX - 1) / 2);
  const tail = STRETCHES_MAX - 1 - head;
  const middle = stretches.slice(head, stretches.length - tail);
  const counted = middle.filter((s) => s.type === 'counted');
  const ms = counted.reduce((n, s) => n + s.to - s.from, 0);
  return [
    ...stretches.slice(0, head).map((s) => stretchRow(s, zone)),
    `<tr><td colspan="4" class="note">… ${counted.length} more working ${counted.length === 1 ? 'stretch' : 'stretches'} (${esc(spoken(ms))} counted) and the time between them</td></tr>`,
    ...stretches.slice(stretches.length - tail).map((s) => stretchRow(s, zone)),
  ].join('');
}

/** Where the target stands: due when, met when, paused, late. */
function standing(e: TargetExplanation, zone: string): string {
  const now = e.now;
  const counted = spoken(e.counted);
  switch (e.end.kind) {
    case 'due': {
      const due = `${esc(counted)} counted, so it is due ${when(e.end.at, zone)}`;
      if (now.state === 'met')
        return `${due}. Met${now.metAt !== null ? ` ${when(now.metAt, zone)}` : ''}, ${now.metLate ? '<strong>late</strong>' : 'on time'}.`;
      if (now.state === 'paused') return `${due}. Paused now, already past its target.`;
      return now.remaining < 0
        ? `${due}. <strong>Overdue</strong> by ${esc(spoken(now.remaining))} of working time.`
        : `${due}. ${esc(spoken(now.remaining))} of working time left now.`;
    }
    case 'met':
      return `Met ${when(e.end.at, zone)} after ${esc(counted)} of working time, with ${esc(spoken(e.target - e.counted))} to spare.`;
    case 'paused':
      return `Paused ${when(e.end.at, zone)} after ${esc(counted)} of working time; ${esc(spoken(e.target - e.counted))} left when it runs again.`;
  }
}

function targetSection(kind: TargetKind, e: TargetExplanation, zone: string): string {
  const id = `target-${kind}`;
  return `<section aria-labelledby="${id}"><h3 id="${id}">${TARGET_LABEL[kind]}</h3>
<p>A target of ${esc(spoken(e.target))} of working time, from ${when(e.startedAt, zone)}. ${standing(e, zone)}</p>
<details><summary>How it was counted</summary>
<table><thead><tr><th scope="col">From</th><th scope="col">To</th><th scope="col">Counted?</th><th scope="col">Why</th></tr></thead>
<tbody>${stretchRows(e.stretches, zone)}</tbody></table></details></section>`;
}

/** One history event, in words (a comment is in the conversation instead). */
function eventText(e: RequestEvent, v: RequestPageView): string {
  const who = person(e.actor, v.viewer);
  const note = e.note ? `: “${esc(e.note)}”` : '';
  const cycle = e.cycle !== undefined && e.cycle > 1 ? ` (cycle ${e.cycle})` : '';
  const target = e.kind ? `${TARGET_LABEL[e.kind].toLowerCase()} target${cycle}` : 'target';
  switch (e.type) {
    case 'filed':
      return `${who} filed it`;
    case 'acknowledge':
      return `${who} acknowledged it${note}`;
    case 'assign':
      return e.assignee === e.actor ? `${who} took it` : `${who} assigned it to ${person(e.assignee, v.viewer)}`;
    case 'pause':
      return e.to === 'waiting_on_third_party'
        ? `${who} is waiting on a third party${note}`
        : `${who} is waiting on the requester; the resolution clock is paused${note}`;
    case 'resume':
      return `${who} resumed it; the resolution clock runs again${note}`;
    case 'resolve': {
      const c = e.cause;
      const cause = c
        ? ` (cause: ${esc(CAUSE_LABEL[c.category] ?? c.category)}${c.text ? `, “${esc(c.text)}”` : ''})`
        : '';
      return `${who} resolved it${note}${cause}`;
    }
    case 'close':
      return e.actor === SYSTEM_ACTOR ? 'It closed itself: resolved and not reopened' : `${who} closed it${note}`;
    case 'reopen':
      return `${who} reopened it; its resolution target runs afresh${note}`;
    case 'cancel':
      return `${who} cancelled it${note}`;
    case 'rate':
      return `${who} rated it ${esc(e.score ?? '?')}/5${note}`;
    case 'warn':
      return `The ${target} was at risk`;
    case 'escalate':
      return `It reached step ${(e.step ?? 0) + 1} of its escalation ladder (${target})`;
    case 'remind':
      return `Still past its ${target}: Kept sent its daily reminder`;
    case 'unanswered':
      if (e.rule === 'remind') return 'Kept reminded the requester that it waits on their answer';
      if (e.rule === 'close') return 'Kept closed it: nobody answered within the agreement’s waiting time';
      return 'Kept resumed it: nobody answered within the agreement’s waiting time';
    case 'breach':
      return `<strong>It missed its ${target}</strong>`;
    case 'priority':
      return e.asked
        ? `${who} asked for ${esc(e.priority ?? '?')} instead of ${esc(e.previousPriority ?? '?')}${note}`
        : `${who} changed the priority from ${esc(e.previousPriority ?? '?')} to ${esc(e.priority ?? '?')}; due times were counted again${note}`;
    case 'unassign':
      return `${person(e.previousAssignee, v.viewer)} left Slack, so it went back to the queue`;
    case 'transfer':
      return `${who} transferred it from ${esc(e.transfer?.fromName ?? 'its provider')} to ${esc(e.transfer?.toName ?? 'another department')}; its clocks started again there${note}`;
    case 'waive':
      return `${who} waived the ${e.kind ? `${e.kind} ` : ''}penalty${cycle}${note}`;
    case 'recover':
      return e.recovery === 'cause'
        ? `${who} wrote down why it missed its target${e.cause ? `: ${esc(CAUSE_LABEL[e.cause.category] ?? e.cause.category)}${e.cause.text ? `, “${esc(e.cause.text)}”` : ''}` : ''}`
        : `${who} ${e.recovery === 'apologised' ? 'apologised to the requester' : e.recovery === 'explained' ? 'explained what happened' : 'reported how the fix is going'}${note}`;
    case 'recovered':
      return e.recovered
        ? `${who} confirmed it was put right after the miss`
        : `${who} said it was not put right after the miss`;
    default:
      return `${who}: ${esc(e.type)}`;
  }
}

function timelineList(v: RequestPageView): string {
  const items = v.timeline.map((e) => `<li>${when(e.at, v.zone)} · ${eventText(e, v)}</li>`).join('');
  return `<ol class="timeline">${items}</ol>`;
}

function conversationList(v: RequestPageView): string {
  if (v.conversation.length === 0) return '<p class="note">Nobody has written in this request’s thread yet.</p>';
  const items = v.conversation
    .map((e) => {
      const side = e.side === 'provider' ? esc(v.providerName) : 'requester';
      const tag = e.internal ? `${side}, internal note` : side;
      // Slack's permalinks; anything else is shown as a name only, never as a link.
      const files = (e.files ?? [])
        .map((f) =>
          /^https:\/\//.test(f.permalink) ? `<a href="${esc(f.permalink)}">${esc(f.name)}</a>` : esc(f.name),
        )
        .join(', ');
      return `<li${e.internal ? ' class="internal"' : ''}><p class="sub">${person(e.actor, v.viewer)} (${tag}) · ${when(e.at, v.zone)}</p><p>${esc(e.note ?? '')}</p>${files ? `<p class="note">Files: ${files}</p>` : ''}</li>`;
    })
    .join('');
  return `<ol class="conversation">${items}</ol>`;
}

function penaltiesSection(lines: readonly PenaltyLine[], zone: string): string {
  const body =
    lines.length === 0
      ? '<p>No target was missed, so nothing is owed.</p>'
      : `<table><thead><tr><th scope="col">Target</th><th scope="col">Due</th><th scope="col" class="num">Penalty</th><th scope="col">Waived</th></tr></thead><tbody>${lines
          .map(
            (l) =>
              `<tr><td>${TARGET_LABEL[l.kind]}${l.cycle > 1 ? ` (cycle ${l.cycle})` : ''}</td><td>${when(l.breach.dueAt, zone)}</td><td class="num">${esc(`${l.breach.amount} ${l.breach.unit}`)}</td><td>${l.breach.waived ? `yes: “${esc(l.breach.waived.reason)}”` : 'no'}</td></tr>`,
          )
          .join('')}</tbody></table>`;
  return `<section aria-labelledby="penalties"><h2 id="penalties">Penalties</h2>
<p class="note">Shown to the heads of both departments and Kept admins.</p>${body}</section>`;
}

const STYLE = `<style>
.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:8px 16px;margin:0 0 12px}
.facts dt{color:#555;font-size:14px}.facts dd{margin:0;font-weight:600}.description{white-space:pre-wrap}
section{margin:20px 0}details{margin:6px 0}tr.skipped td{color:#555}.who{font-family:monospace}
ol.timeline,ol.conversation{padding-left:20px}ol.conversation li{margin:0 0 10px}
li.internal{border-left:3px solid #e0a800;padding-left:8px}
</style>`;

/** The request page. */
export function requestPage(v: RequestPageView): string {
  const r = v.request;
  const zone = v.zone;
  const fact = (term: string, value: string) => `<div><dt>${term}</dt><dd>${value}</dd></div>`;
  const facts = [
    fact('Status', esc(STATUS_LABEL[r.status])),
    fact('Priority', esc(r.priority)),
    fact('Provider', esc(v.providerName)),
    fact('Customer', esc(v.customerName)),
    fact('Service', esc(r.service)),
    fact('Filed', `${when(r.createdAt, zone)} by ${person(r.requester, v.viewer)}`),
    fact('Assignee', r.assignee ? person(r.assignee, v.viewer) : 'nobody yet'),
  ].join('');
  const body = `${STYLE}<h1>${esc(r.id)} · ${esc(r.title)}</h1>
<dl class="facts">${facts}</dl>
${r.description ? `<p class="description">${esc(r.description)}</p>` : ''}
<p class="note">Times are in ${esc(v.providerName)}’s time zone, ${esc(zone)}.</p>
<section aria-labelledby="due"><h2 id="due">Due times</h2>
<p>Counted in ${esc(countingText(v.calendar, v.providerName))}.</p>
${(['response', 'resolution'] as const).map((k) => targetSection(k, v.explanations[k], zone)).join('\n')}
</section>
<section aria-labelledby="timeline"><h2 id="timeline">Timeline</h2>${timelineList(v)}</section>
<section aria-labelledby="conversation"><h2 id="conversation">Conversation</h2>${conversationList(v)}</section>
${v.penalties ? penaltiesSection(v.penalties, zone) : ''}`;
  return layout(`${r.id} · ${r.title}`, body, true);
}

/** The one page for an unknown request and for one the reader may not see. */
export function noSuchRequestPage(id: string): string {
  return layout(
    'No such request',
    `<h1>No such request</h1>
<p>There is no request ${esc(id.slice(0, 40))} that you can see. Check the ID on the card in Slack, or list yours there with <code>/sla list</code>.</p>
<p><a href="/web">Go to My departments</a></p>`,
    true,
  );
}
