/**
 * `/sla report [dept] [period]` (either order): a department's report over a period, answered in
 * the ack from three reads (the directory, the period's day counters, its "better" answers),
 * however many requests the period holds. Penalties and the breaches per assignee are shown to the
 * department's heads and Kept admins; everyone else sees compliance and a line saying they are for heads.
 * `/sla report customer [dept] [period]` shows what a department receives from others (what is owed
 * to it for its heads and Kept admins); `/sla report company [period]` every agreement, for Kept admins.
 * `/sla report subscribe|unsubscribe|subscriptions ...` are in report-subscriptions.ts.
 */

import { DateTime } from 'luxon';
import { type Department, isHead } from '../../domain/department';
import { type Directory, departmentsHeadedBy, departmentsOf, findDepartmentByIdOrName } from '../../domain/directory';
import { reviewsText } from '../../domain/report-format';
import { PERIOD_FORMS, PERIOD_WORDS, resolvePeriod } from '../../domain/report-period';
import { reviewsOfDepartments } from '../../services/reviews';
import { readDirectory } from '../../store/directory';
import { readLoyalty } from '../../store/metrics';
import { readCompanyReport, readCustomerReport, readReport } from '../../store/stats';
import type { WorkItem } from '../../work/item';
import { typoDistance } from '../commands';
import { context, MAX_MESSAGE_BLOCKS, section } from '../views/blocks';
import { escapeMrkdwn } from '../views/format';
import { reportMessage } from '../views/report';
import { companyMessage, customerMessage } from '../views/report-sides';
import type { ListenerDeps } from './deps';
import { type Ephemeral, say } from './reply';
import { SUBSCRIPTION_WORDS } from './report-subscriptions';

/** How many "better" answers a report reads (the message shows five). */
const BETTER_READ = 20;

const looksLikePeriod = (word: string) =>
  (PERIOD_WORDS as readonly string[]).includes(word) || /^\d{4}-\d{1,2}$/.test(word);

/** The words `/sla report` takes first, for "did you mean" (two edits at most, as for `/sla` itself). */
const REPORT_WORDS = ['customer', 'company', ...SUBSCRIPTION_WORDS, ...PERIOD_WORDS];
const closestReportWord = (typed: string): string | undefined =>
  typed.length > 40
    ? undefined
    : REPORT_WORDS.map((w) => ({ w, d: typoDistance(typed, w) }))
        .filter((c) => c.d > 0 && c.d <= 2)
        .sort((a, b) => a.d - b.d)[0]?.w;

const departmentList = (dir: Directory) => dir.departments.map((d) => `\`${d.id}\``).join(', ');

/**
 * The report as the ephemeral answer. With `trigger` (the command's trigger_id) and a period that
 * has requests, the charts and the CSV follow in the asker's DM: the caller sends `files` to the
 * worker after answering Slack.
 */
export async function reportCommand(
  deps: ListenerDeps,
  user: string,
  args: readonly string[],
  trigger?: string,
): Promise<Ephemeral & { files?: WorkItem }> {
  const side = args[0]?.toLowerCase();
  if (side === 'company') return companyCommand(deps, user, args.slice(1));
  const customerSide = side === 'customer';
  if (customerSide) args = args.slice(1);
  const usage = `\`/sla report ${customerSide ? 'customer ' : ''}[dept] [period]\`, the period one of ${PERIOD_FORMS}`;
  if (args.length > 2) return say(`Too many words: ${usage}.`);
  const dir = await readDirectory(deps.db);
  if (dir.departments.length === 0)
    return say(
      'There are no departments in Kept yet, so there is nothing to report. A Kept admin adds them with `/sla dept create` or `kept import`.',
    );

  let department: Department | undefined;
  let periodWord: string | undefined;
  for (const raw of args) {
    const word = raw.toLowerCase();
    const dept = looksLikePeriod(word) ? undefined : findDepartmentByIdOrName(dir, word);
    if (!dept && !looksLikePeriod(word)) {
      const shown = escapeMrkdwn(raw.length > 30 ? `${raw.slice(0, 30)}…` : raw);
      const meant = closestReportWord(word);
      return say(
        `\`${shown}\` is neither a department nor a period.${meant ? ` Did you mean \`/sla report ${meant}\`?` : ''} Periods: ${PERIOD_FORMS}; departments: ${departmentList(dir)}.`,
      );
    }
    if (dept ? department : periodWord !== undefined) return say(`Name one department and one period: ${usage}.`);
    if (dept) department = dept;
    else periodWord = word;
  }
  department ??= departmentsHeadedBy(dir, user)[0] ?? departmentsOf(dir, user)[0];
  if (!department)
    return say(
      `You are not in any department, so name the one you want: \`/sla report ${customerSide ? 'customer ' : ''}${dir.departments[0]!.id} [period]\`. Departments: ${departmentList(dir)}.`,
    );

  const period = resolvePeriod(periodWord, deps.now().getTime(), department.calendar.timezone);
  if (!period.ok) return say(period.error);
  const { from, to, label } = period.value;
  if (customerSide) {
    const forHeads = isHead(department, user) || deps.config.KEPT_ADMINS.includes(user);
    const [received, loyalty] = await Promise.all([
      readCustomerReport(deps.db, dir, department.id, { from, to, label }),
      // The customers' figures are for the department's heads, like what is owed to it.
      forHeads ? readLoyalty(deps.db, dir, department, to) : undefined,
    ]);
    const message = customerMessage(received, { forHeads, ...(loyalty ? { loyalty } : {}) });
    return { response_type: 'ephemeral', text: message.text, blocks: message.blocks };
  }
  const zone = department.calendar.timezone;
  const [report, reviews] = await Promise.all([
    readReport(deps.db, dir, department, { from, to, label }, BETTER_READ),
    reviewsOfDepartments(
      deps.db,
      dir,
      [department.id],
      DateTime.fromISO(from, { zone }).toMillis(),
      DateTime.fromISO(to, { zone }).plus({ days: 1 }).toMillis(),
    ),
  ]);
  const forHeads = isHead(department, user) || deps.config.KEPT_ADMINS.includes(user);
  const message = reportMessage(report, { forHeads });
  if (reviews.length > 0)
    message.blocks.splice(
      Math.min(message.blocks.length, MAX_MESSAGE_BLOCKS - 2),
      0,
      section(
        `*Joint reviews*\n${reviewsText(reviews, { penalties: forHeads })
          .map((l) => `• ${escapeMrkdwn(l)}`)
          .join('\n')}`,
      ),
    );
  if (!trigger || report.empty) return { response_type: 'ephemeral', text: message.text, blocks: message.blocks };
  const files: WorkItem = { type: 'report.files', key: `report:${trigger}`, user, department: department.id, from, to };
  const note = context(':bar_chart: The charts and a CSV of this report are on their way to your DM with Kept.');
  const blocks = [...message.blocks.slice(0, MAX_MESSAGE_BLOCKS - 1), note];
  return { response_type: 'ephemeral', text: message.text, blocks, files };
}

/** `/sla report company [period]`: every agreement, worst compliance first; Kept admins only. */
async function companyCommand(deps: ListenerDeps, user: string, args: readonly string[]): Promise<Ephemeral> {
  if (!deps.config.KEPT_ADMINS.includes(user))
    return say('The company view is for Kept admins; `/sla report customer` shows what your department receives.');
  if (args.length > 1)
    return say(`Too many words: \`/sla report company [period]\`, the period one of ${PERIOD_FORMS}.`);
  const dir = await readDirectory(deps.db);
  const zone = (departmentsOf(dir, user)[0] ?? dir.departments[0])?.calendar.timezone ?? 'UTC';
  const period = resolvePeriod(args[0]?.toLowerCase(), deps.now().getTime(), zone);
  if (!period.ok) return say(period.error);
  const message = companyMessage(await readCompanyReport(deps.db, dir, period.value));
  return { response_type: 'ephemeral', text: message.text, blocks: message.blocks };
}
