/**
 * Block Kit for lists of requests: `/sla list` and the App Home (for heads, how their departments
 * are doing this month; my requests, my departments' queues most urgent first, kudos). Pure
 * functions of domain values; times are Slack date tokens.
 */
import type { HomeView, KnownBlock, SectionBlock } from '@slack/types';
import type { Report } from '../../domain/report';
import { isLive, type nextDue, type Request, STATUS_LABEL } from '../../domain/request';
import {
  capGroups,
  context,
  header,
  MAX_MESSAGE_BLOCKS,
  MAX_MODAL_BLOCKS,
  MAX_SECTION_TEXT,
  type SlackMessage,
  section,
} from './blocks';
import { clip, cut, dateToken, escapeMrkdwn, mark, mentionChannel, spokenDuration } from './format';
import { helpMessage } from './help';
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
}): HomeView {
  const kudos = input.kudos ? kudosHomeBlocks(input.kudos) : [];
  const budget = MAX_MODAL_BLOCKS - 1 - kudos.length; // the kudos section and the closing context
  let blocks: KnownBlock[] = [header('Kept')];
  const headed = input.headed ?? [];
  if (headed.length > 0) {
    const lines = headed.slice(0, HOME_GLANCES).map(reportGlance);
    if (headed.length > lines.length) lines.push(`and ${headed.length - lines.length} more departments`);
    blocks.push(
      section(cut(`*Your departments this month*\n${lines.join('\n')}`, MAX_SECTION_TEXT)),
      context('`/sla report DEPT [period]`: the full report, with charts and a CSV in your DMs.'),
    );
  }

  const group = (heading: string, items: readonly ListItem[], empty: string, more: string): KnownBlock[] => {
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
  // Someone new to Kept (nothing filed, no queue) gets the welcome and the command list too.
  if (input.mine.length === 0 && input.queues.length === 0)
    blocks.push(
      { type: 'divider' },
      section('*Welcome to Kept*'),
      ...helpMessage().blocks.slice(0, budget - blocks.length - 2),
    );
  blocks.push(...kudos, context(`As of ${dateToken(input.at)} · \`/sla help\` lists every command.`));
  return { type: 'home', blocks: blocks.slice(0, MAX_MODAL_BLOCKS) };
}
