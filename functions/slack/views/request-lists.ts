/**
 * Block Kit for lists of requests: `/sla list` and the App Home (for heads, how their departments
 * are doing this month; my requests, my departments' queues most urgent first, kudos). Pure
 * functions of domain values; times are Slack date tokens.
 */
import type { ActionsBlock, Button, HomeView, KnownBlock, SectionBlock } from '@slack/types';
import type { Report } from '../../domain/report';
import { isLive, type nextDue, type Request, STATUS_LABEL } from '../../domain/request';
import { actionsFor } from '../../domain/request-actions';
import { IDS } from '../ids';
import { decisionButtons } from './agreements';
import {
  button,
  capGroups,
  context,
  header,
  MAX_MESSAGE_BLOCKS,
  MAX_MODAL_BLOCKS,
  MAX_SECTION_TEXT,
  type SlackMessage,
  section,
} from './blocks';
import { clip, cut, dateToken, escapeMrkdwn, mark, mentionChannel, mentionUser, spokenDuration } from './format';
import { helpBlocksForHome } from './help';
import { type KudosHome, kudosHomeBlocks } from './kudos';
import { reportGlance } from './report';

// ---------------------------------------------------------------------------------------------
// Lists and the App Home

/** How many requests a list message shows before `and N more`. */
export const LIST_MAX = 40;

export interface ListItem {
  request: Request;
  next: ReturnType<typeof nextDue>;
}

/** `` `IT-42` *title* · P2 · Acknowledged · resolution due <token> (1h left) ``. */
export function listLine(item: ListItem): string {
  const { request, next } = item;
  const head = `\`${escapeMrkdwn(request.id)}\` *${escapeMrkdwn(clip(request.title, 100))}* · ${escapeMrkdwn(request.priority)} · ${STATUS_LABEL[request.status]}`;
  if (next) {
    const left =
      next.remaining < 0 ? `overdue by ${spokenDuration(next.remaining)}` : `${spokenDuration(next.remaining)} left`;
    const due = next.due !== null ? ` ${next.remaining < 0 ? 'was due' : 'due'} ${dateToken(next.due)}` : '';
    return `${mark(next.status)}${head} · ${next.kind}${due} (${left})`;
  }
  const ended: [number | undefined, string] | undefined =
    request.status === 'closed'
      ? [request.closedAt, 'closed']
      : request.status === 'cancelled'
        ? [request.cancelledAt, 'cancelled']
        : request.status === 'resolved'
          ? [request.resolvedAt, 'resolved']
          : undefined;
  if (ended && ended[0] !== undefined) return `${head} · ${ended[1]} ${dateToken(ended[0])}`;
  if (request.status === 'waiting_on_requester') return `${head} · clock paused`;
  return head;
}

/** Lines packed into as few sections as fit Slack's 3000-character limit. */
function packLines(lines: readonly string[]): SectionBlock[] {
  const out: SectionBlock[] = [];
  let current = '';
  for (const line of lines) {
    const l = cut(line, MAX_SECTION_TEXT);
    if (current && current.length + 1 + l.length > MAX_SECTION_TEXT) {
      out.push(section(current));
      current = '';
    }
    current = current ? `${current}\n${l}` : l;
  }
  if (current) out.push(section(current));
  return out;
}

/** Most urgent first: breached, then least working time left; then the rest, most recent first. */
export function urgencyOrder(a: ListItem, b: ListItem): number {
  const ra = a.next?.remaining ?? Number.POSITIVE_INFINITY;
  const rb = b.next?.remaining ?? Number.POSITIVE_INFINITY;
  if (ra !== rb) return ra - rb;
  return a.next ? a.request.createdAt - b.request.createdAt : b.request.updatedAt - a.request.updatedAt;
}

/** `/sla list …`: one line per request, at most LIST_MAX of them. */
export function requestList(input: {
  title: string;
  items: readonly ListItem[];
  empty: string;
  at: number;
}): SlackMessage {
  const top = header(input.title);
  if (input.items.length === 0) return { text: `${input.title}: ${input.empty}`, blocks: [top, section(input.empty)] };
  const shown = input.items.slice(0, LIST_MAX);
  const lines = shown.map(listLine);
  const blocks: KnownBlock[] = [top, ...packLines(lines).slice(0, MAX_MESSAGE_BLOCKS - 3)];
  const more = input.items.length - shown.length;
  if (more > 0) blocks.push(context(`and ${more} more`));
  blocks.push(context(`As of ${dateToken(input.at)} · \`/sla show ID\` for the details of one`));
  const text = cut(
    `${input.title} (${input.items.length}):\n${lines.slice(0, 10).join('\n')}${input.items.length > 10 ? '\n…' : ''}`,
    MAX_SECTION_TEXT,
  );
  return { text, blocks };
}

/** A proposal the person is to accept or decline, titled for them (`IT promises Finance · …`). */
export interface HomeProposal {
  id: string;
  version: number;
  /** Already escaped mrkdwn (agreementTitle). */
  title: string;
  /** Who proposed it, when known. */
  by?: string;
}

/** What needs the person now: each list is shown with its buttons, most urgent first. */
export interface HomeNeeds {
  /** Live requests assigned to them, by time left (missed first). */
  assigned: readonly ListItem[];
  /** Their own requests paused waiting for their answer. */
  waiting: readonly ListItem[];
  proposals: readonly HomeProposal[];
  /** Missed targets in their departments that someone should recover (not already in `assigned`). */
  breaches: readonly ListItem[];
}

/** Rows per "needs you now" section before `and N more`: each row is two blocks (its line and its buttons). */
export const HOME_ROWS = 5;

/** The buttons of a request row on the Home: the card's action IDs, for what fits its status. */
function rowButtons(item: ListItem, offerAssign: boolean): ActionsBlock | undefined {
  const { request } = item;
  const fits = actionsFor(request.status);
  const id = request.id;
  const elements: Button[] = [];
  if (offerAssign && !request.assignee && fits.includes('assign'))
    elements.push(button(IDS.requestAction.assignMe, 'Assign to me', id, 'primary'));
  if (fits.includes('acknowledge'))
    elements.push(button(IDS.requestAction.acknowledge, 'Acknowledge', id, elements.length ? undefined : 'primary'));
  if (fits.includes('resume')) elements.push(button(IDS.requestAction.resume, 'Resume', id));
  if (fits.includes('resolve'))
    elements.push(button(IDS.requestAction.resolve, 'Resolve', id, elements.length ? undefined : 'primary'));
  return elements.length > 0 ? { type: 'actions', elements } : undefined;
}

/** One "needs you now" section: a heading, up to HOME_ROWS rows with buttons, then `and N more — …`. */
function needsSection<T>(heading: string, rows: readonly T[], row: (r: T) => KnownBlock[], more: string): KnownBlock[] {
  if (rows.length === 0) return [];
  const out: KnownBlock[] = [section(heading)];
  for (const r of rows.slice(0, HOME_ROWS)) out.push(...row(r));
  if (rows.length > HOME_ROWS) out.push(context(`and ${rows.length - HOME_ROWS} more — ${more}`));
  return out;
}

function needsBlocks(needs: HomeNeeds): KnownBlock[] {
  const requestRow =
    (offerAssign: boolean) =>
    (item: ListItem): KnownBlock[] => {
      const actions = rowButtons(item, offerAssign);
      return [section(listLine(item)), ...(actions ? [actions] : [])];
    };
  const sections = [
    needsSection(
      '*Assigned to you* · soonest due first',
      needs.assigned,
      requestRow(false),
      '`/sla list queue` shows them all.',
    ),
    needsSection(
      '*Waiting on your answer* · their clock is paused until you reply',
      needs.waiting,
      (item) => [
        section(listLine(item)),
        { type: 'actions', elements: [button(IDS.requestAction.answer, 'Answer', item.request.id, 'primary')] },
      ],
      '`/sla list mine` shows them all.',
    ),
    needsSection(
      '*Proposals for you to answer*',
      needs.proposals,
      (p) => [
        section(`*${p.title}* · version ${p.version}${p.by ? `, proposed by ${mentionUser(p.by)}` : ''}`),
        decisionButtons(p),
      ],
      '`/sla agreements` shows them all.',
    ),
    needsSection(
      '*Missed targets to recover* · apologise, then solve or hand over',
      needs.breaches,
      requestRow(true),
      '`/sla list breached` shows them all.',
    ),
  ].filter((s) => s.length > 0);
  if (sections.length === 0) return [section('Nothing needs you right now. :white_check_mark:')];
  return sections.flatMap((s, i) => (i === 0 ? s : [{ type: 'divider' } as KnownBlock, ...s]));
}

/** Who can add someone in no department: the admins by name when Kept knows them. */
function outsiderBlocks(admins: readonly string[]): KnownBlock[] {
  const who =
    admins.length > 0
      ? `a Kept admin (${admins
          .slice(0, 5)
          .map((a) => mentionUser(a))
          .join(', ')})`
      : 'whoever runs Kept for your workspace (a Kept admin)';
  return [
    section(
      `*You're not in a department in Kept yet*
Kept tracks what departments promise each other, so requests are filed by and for departments. Ask ${who} or your department's head to add you; once you're in, your requests and your department's queue show up here, with a button to file a new one.`,
    ),
    context('Kudos need no department: thank anyone with `/kudos @someone message`.'),
  ];
}

export interface HomeQueue {
  department: { id: string; name: string; channel?: string };
  items: readonly ListItem[];
}

/** Requests per section of the App Home before `and N more`. */
const HOME_ITEMS = 25;

/** Departments a head sees at a glance before `/sla report` is the way to the rest. */
const HOME_GLANCES = 10;

/**
 * The App Home: for a head, this month at a glance for each department they head; my requests
 * (live first, then the most recent), and each of my departments' queues, most urgent first.
 */
export function requestsHomeView(input: {
  mine: readonly ListItem[];
  queues: readonly HomeQueue[];
  at: number;
  kudos?: KudosHome;
  headed?: readonly Report[];
  /** What needs the person now, shown first with its buttons. */
  needs?: HomeNeeds;
  /** Set when the person is in no department: who can add them (the Kept admins). */
  outsider?: { admins: readonly string[] };
}): HomeView {
  const kudos = input.kudos ? kudosHomeBlocks(input.kudos) : [];
  const budget = MAX_MODAL_BLOCKS - 1 - kudos.length; // the kudos section and the closing context
  let blocks: KnownBlock[] = [header('Kept')];
  if (input.outsider) blocks.push(...outsiderBlocks(input.outsider.admins));
  else
    blocks.push({
      type: 'actions',
      elements: [button(IDS.homeNewRequest, 'New request', 'new', 'primary')],
    });
  if (input.needs) blocks.push(...needsBlocks(input.needs));
  const headed = input.headed ?? [];
  if (headed.length > 0) {
    const lines = headed.slice(0, HOME_GLANCES).map(reportGlance);
    if (headed.length > lines.length) lines.push(`and ${headed.length - lines.length} more departments`);
    blocks.push(
      { type: 'divider' },
      section(cut(`*Your departments this month*\n${lines.join('\n')}`, MAX_SECTION_TEXT)),
      context('`/sla report DEPT [period]`: the full report, with charts and a CSV in your DMs.'),
    );
  }

  const group = (heading: string, items: readonly ListItem[], empty: string, more: string): KnownBlock[] => {
    if (input.outsider && items.length === 0) return []; // nothing to show, and they cannot file
    const out: KnownBlock[] = [{ type: 'divider' }, section(heading)];
    if (items.length === 0) return [...out, section(empty)];
    const shown = items.slice(0, HOME_ITEMS);
    out.push(...packLines(shown.map(listLine)));
    if (items.length > shown.length) out.push(context(`and ${items.length - shown.length} more — ${more}`));
    return out;
  };

  const live = input.mine.filter((i) => isLive(i.request)).sort(urgencyOrder);
  const done = input.mine.filter((i) => !isLive(i.request)).sort((a, b) => b.request.updatedAt - a.request.updatedAt);
  const groups: KnownBlock[][] = [
    group(
      '*My requests*',
      [...live, ...done],
      'You have no requests. File one with `/sla new` or the “File as request” message shortcut.',
      '`/sla list mine` shows them all.',
    ),
  ];
  for (const q of input.queues) {
    const name = escapeMrkdwn(q.department.name);
    const where = q.department.channel ? ` and in ${mentionChannel(q.department.channel)}` : '';
    groups.push(
      group(
        `*Queue — ${name}*`,
        [...q.items].sort(urgencyOrder),
        `Nothing waiting for ${name}. New requests appear here${where}.`,
        '`/sla list queue` shows them all.',
      ),
    );
  }
  blocks = capGroups(blocks, groups, (n) => `and ${n} more queues — \`/sla list queue\` shows them all.`, budget);
  // Someone new to Kept (nothing filed, no queue) gets the welcome and the command list too; not
  // someone in no department, who could use few of those commands.
  if (input.mine.length === 0 && input.queues.length === 0 && !input.outsider)
    blocks.push(
      { type: 'divider' },
      section('*Welcome to Kept*'),
      ...helpBlocksForHome().slice(0, budget - blocks.length - 2),
    );
  blocks.push(...kudos, context(`As of ${dateToken(input.at)} · \`/sla help\` lists every command.`));
  return { type: 'home', blocks: blocks.slice(0, MAX_MODAL_BLOCKS) };
}
