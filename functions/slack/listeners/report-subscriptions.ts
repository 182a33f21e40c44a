/**
 * `/sla report subscribe weekly [#channel] [dept]`, `/sla report unsubscribe [#channel] [dept]` and
 * `/sla report subscriptions [dept]`: a department's weekly report sent by itself, to the head's
 * own DM or to a channel (docs/reports.md). For the department's heads and Kept admins; without a
 * department named, the first one the asker heads (as `/sla report` chooses). A channel is checked
 * by posting a short note there that the report will come: when Slack refuses (a private channel
 * Kept is not in), the answer says how to invite Kept and nothing is written. Subscribing and
 * unsubscribing are audited (store/subscriptions.ts).
 */
import { ErrorCode, type WebClient } from '@slack/web-api';
import { type Department, isHead } from '../../domain/department';
import { type Directory, departmentsHeadedBy, findDepartmentByIdOrName } from '../../domain/directory';
import { weeklyReportMinutes } from '../../domain/report-schedule';
import { readDirectory } from '../../store/directory';
import { getSubscription, type Subscription, subscribe, subscriptionsOf, unsubscribe } from '../../store/subscriptions';
import { channelOf } from '../args';
import { escapeMrkdwn } from '../views/format';
import type { ListenerDeps } from './deps';
import { type Ephemeral, say } from './reply';

export const SUBSCRIPTION_WORDS = ['subscribe', 'unsubscribe', 'subscriptions'] as const;
type SubscriptionWord = (typeof SUBSCRIPTION_WORDS)[number];

export const isSubscriptionWord = (word: string | undefined): word is SubscriptionWord =>
  (SUBSCRIPTION_WORDS as readonly string[]).includes(word?.toLowerCase() ?? '');

const USAGE: Record<SubscriptionWord, string> = {
  subscribe: '`/sla report subscribe weekly [#channel] [dept]`',
  unsubscribe: '`/sla report unsubscribe [#channel] [dept]`',
  subscriptions: '`/sla report subscriptions [dept]`',
};

/** Slack's refusals of a post in a channel that mean Kept is not allowed there. */
const CHANNEL_REFUSALS = new Set(['not_in_channel', 'channel_not_found', 'is_archived']);

const departmentList = (dir: Directory) => dir.departments.map((d) => `\`${d.id}\``).join(', ');

const clockText = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** When the report comes, in words: `Mondays at 09:00 (America/New_York)`. */
const whenText = (d: Department) =>
  `Mondays at ${clockText(weeklyReportMinutes(d.calendar))} (${escapeMrkdwn(d.calendar.timezone)})`;

const targetText = (s: Pick<Subscription, 'kind' | 'target'>) =>
  s.kind === 'channel' ? `<#${s.target}>` : `<@${s.target}>'s DM`;

export async function subscriptionCommand(
  deps: ListenerDeps,
  client: WebClient,
  user: string,
  args: readonly string[],
): Promise<Ephemeral> {
  const word = args[0]!.toLowerCase() as SubscriptionWord;
  const usage = USAGE[word];
  const dir = await readDirectory(deps.db);
  let department: Department | undefined;
  let channel: string | undefined;
  let weekly = false;
  for (const raw of args.slice(1)) {
    const lower = raw.toLowerCase();
    const mentioned = channelOf(raw);
    const dept = mentioned ? undefined : findDepartmentByIdOrName(dir, lower);
    if (lower === 'weekly' && word !== 'subscriptions' && !weekly) weekly = true;
    else if (mentioned && word !== 'subscriptions' && !channel) channel = mentioned;
    else if (dept && !department) department = dept;
    else {
      const shown = escapeMrkdwn(raw.length > 30 ? `${raw.slice(0, 30)}…` : raw);
      const hint = raw.startsWith('#')
        ? ' Pick the channel from the list Slack offers as you type `#`, so Kept gets its ID.'
        : ` Departments: ${departmentList(dir)}.`;
      return say(`Kept did not understand \`${shown}\`: ${usage}.${hint}`);
    }
  }
  if (word === 'subscribe' && !weekly)
    return say(`Reports come weekly for now: ${usage}, for example \`/sla report subscribe weekly\`.`);

  const admin = deps.config.KEPT_ADMINS.includes(user);
  department ??= departmentsHeadedBy(dir, user)[0];
  if (!department)
    return say(
      admin && dir.departments.length > 0
        ? `Name the department: ${usage}. Departments: ${departmentList(dir)}.`
        : 'Weekly reports are for heads of a department and Kept admins. `/sla report` shows you a report whenever you ask.',
    );
  if (!admin && !isHead(department, user))
    return say(
      `Weekly reports of ${escapeMrkdwn(department.name)} are for its heads and Kept admins. \`/sla report ${department.id}\` shows you its report whenever you ask.`,
    );

  if (word === 'subscriptions') return listSubscriptions(deps, department);
  const target = channel ?? user;
  const now = deps.now().getTime();
  if (word === 'unsubscribe') {
    const removed = await unsubscribe(deps.db, { department: department.id, target }, { by: user, at: now });
    const where = channel ? `<#${channel}>` : 'your DM';
    return say(
      removed === 'removed'
        ? `Done: ${escapeMrkdwn(department.name)}'s weekly report no longer goes to ${where}.`
        : `${escapeMrkdwn(department.name)}'s weekly report was not going to ${where}, so there is nothing to stop. \`/sla report subscriptions ${department.id}\` lists where it goes.`,
    );
  }

  const sub: Subscription = {
    department: department.id,
    target,
    kind: channel ? 'channel' : 'person',
    cadence: 'weekly',
    by: user,
    at: now,
  };
  if (await getSubscription(deps.db, department.id, target)) return already(department, sub);
  if (channel) {
    const refused = await announceInChannel(client, department, channel);
    if (refused) return say(refused);
  }
  if ((await subscribe(deps.db, sub)) === 'already') return already(department, sub);
  const what = channel
    ? `to <#${channel}>, with compliance and counts (penalties and breaches per person stay in heads' DMs)`
    : 'to your DM with Kept, penalties included';
  return say(
    `Done: ${escapeMrkdwn(department.name)}'s report of the week before goes ${what} on ${whenText(department)}, starting with the next one. Stop it with \`/sla report unsubscribe${channel ? ` <#${channel}>` : ''} ${department.id}\`.`,
  );
}

function already(department: Department, sub: Subscription): Ephemeral {
  return say(
    `${escapeMrkdwn(department.name)}'s weekly report already goes to ${sub.kind === 'channel' ? `<#${sub.target}>` : 'your DM'}; nothing changed.`,
  );
}

/** Posts the note that the report will come; the refusal to show when Kept may not post there. */
async function announceInChannel(client: WebClient, d: Department, channel: string): Promise<string | undefined> {
  try {
    await client.chat.postMessage({
      channel,
      text: `${d.name}'s weekly report will be posted here on ${whenText(d)}: compliance and counts of the week before.`,
      unfurl_links: false,
    });
    return undefined;
  } catch (err) {
    const e = err as { code?: string; data?: { error?: string } };
    const problem = e.code === ErrorCode.PlatformError ? e.data?.error : undefined;
    if (problem && CHANNEL_REFUSALS.has(problem))
      return `Kept cannot post in <#${channel}> yet, so nothing is subscribed. Invite Kept there first (type \`/invite @Kept\` in the channel), then run the command again.`;
    return 'Slack did not let Kept check that channel just now, so nothing is subscribed. Please try again in a minute.';
  }
}

async function listSubscriptions(deps: ListenerDeps, d: Department): Promise<Ephemeral> {
  const subs = await subscriptionsOf(deps.db, d.id);
  if (subs.length === 0)
    return say(
      `${escapeMrkdwn(d.name)} sends no weekly report yet. \`/sla report subscribe weekly\` sends it to your DM, \`/sla report subscribe weekly #channel\` to a channel.`,
    );
  const lines = subs.map(
    (s) => `• ${targetText(s)}, since ${new Date(s.at).toISOString().slice(0, 10)} (set by <@${s.by}>)`,
  );
  return say(`${escapeMrkdwn(d.name)}'s weekly report goes on ${whenText(d)} to:\n${lines.join('\n')}`);
}
