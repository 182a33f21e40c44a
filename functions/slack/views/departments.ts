/** Block Kit for `/sla dept` (every department) and `/sla dept <id>` (one, in full). */
import { WEEKDAYS, type Weekday } from '../../domain/calendar-spec';
import type { Department } from '../../domain/department';
import type { Directory } from '../../domain/directory';
import { capGroups, context, header, type SlackMessage, section } from './blocks';
import { clip, dateOf, escapeMrkdwn, mentionChannel, mentionList, mentionUsergroup, plural } from './format';

const DAY_NAMES: Record<Weekday, string> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};

/** Heads count as members: they work requests too. */
function people(d: Department): string[] {
  return [...new Set([...d.heads, ...d.members])];
}

function summary(d: Department): string {
  const members = plural(people(d).length, 'member');
  const group = d.usergroup ? ` + ${mentionUsergroup(d.usergroup)}` : '';
  return [
    `*${escapeMrkdwn(d.name)}* · \`${escapeMrkdwn(d.id)}\` · prefix ${escapeMrkdwn(d.prefix)}`,
    `Channel ${mentionChannel(d.channel)} · Heads ${mentionList(d.heads, 10)}`,
    `${members}${group} · ${escapeMrkdwn(d.calendar.timezone)}`,
  ].join('\n');
}

/** The answer to `/sla dept`: every department in a few lines each. */
export function departmentsMessage(dir: Directory): SlackMessage {
  const top = header('Departments');
  if (dir.departments.length === 0) {
    const text =
      'No departments yet. A Kept admin creates one with `/sla dept create …` or by importing a file (see the README).';
    return { text, blocks: [top, section(text)] };
  }
  const blocks = capGroups(
    [top],
    dir.departments.map((d) => [section(summary(d))]),
    (n) => `and ${n} more — too many to show in one message. Type \`/sla dept &lt;id&gt;\` for one department.`,
  );
  if (blocks.length === 1 + dir.departments.length)
    blocks.push(context('Type `/sla dept &lt;id&gt;` for one department in full, with its working hours.'));
  const names = dir.departments.slice(0, 20).map((d) => escapeMrkdwn(d.name));
  const text = `Departments (${dir.departments.length}): ${names.join(', ')}${dir.departments.length > names.length ? ', …' : ''}`;
  return { text: clip(text, 3000), blocks };
}

/** `Mon  09:00-17:00` lines, or around the clock when no hours are set. */
export function hoursText(d: Department): string {
  const hours = d.calendar.hours;
  if (!hours || Object.keys(hours).length === 0) return 'Around the clock, every day (24x7).';
  const lines = WEEKDAYS.map((day) => {
    const value = hours[day];
    const ranges =
      typeof value === 'string' && value.trim() !== ''
        ? value
            .split(',')
            .map((r) => r.trim())
            .join(', ')
        : 'closed';
    return `${DAY_NAMES[day]}  ${escapeMrkdwn(ranges)}`;
  });
  return `\`\`\`\n${lines.join('\n')}\n\`\`\``;
}

function holidaysText(d: Department): string | undefined {
  const h = d.calendar.holidays;
  if (!h) return undefined;
  const parts: string[] = [];
  if (h.country)
    parts.push(
      `public holidays of ${escapeMrkdwn(h.country.toUpperCase())}${h.region ? ` (${escapeMrkdwn(h.region.toUpperCase())})` : ''}`,
    );
  const dates = h.dates ?? [];
  if (dates.length) {
    const shown = dates.slice(0, 30).map(escapeMrkdwn).join(', ');
    parts.push(`${parts.length ? 'also ' : ''}${shown}${dates.length > 30 ? ` and ${dates.length - 30} more` : ''}`);
  }
  return parts.length ? `*Days off:* ${parts.join('; ')}` : undefined;
}

/** `*Own hours:* 2026-12-24 09:00-13:00; 2026-12-31 closed`: the dates the calendar gives their own hours. */
function overridesText(d: Department): string | undefined {
  const dates = Object.keys(d.calendar.overrides ?? {}).sort();
  if (dates.length === 0) return undefined;
  const shown = dates.slice(0, 30).map((date) => {
    const value = d.calendar.overrides?.[date];
    const hours =
      typeof value === 'string' && value.trim() !== ''
        ? value
            .split(',')
            .map((r) => r.trim())
            .join(', ')
        : 'closed';
    return `${escapeMrkdwn(date)} ${escapeMrkdwn(hours)}`;
  });
  return `*Own hours:* ${shown.join('; ')}${dates.length > 30 ? ` and ${dates.length - 30} more dates` : ''}`;
}

/** The answer to `/sla dept it`: one department in full, with its calendar's hours per weekday. */
export function departmentMessage(d: Department): SlackMessage {
  const members = d.members.filter((m) => !d.heads.includes(m));
  const group = d.usergroup
    ? `*User group:* ${mentionUsergroup(d.usergroup)}${d.usergroupSyncedAt ? ` (${plural(d.usergroupMembers.length, 'person', 'people')} as of ${dateOf(d.usergroupSyncedAt)})` : ''}`
    : undefined;
  const about = [
    `*Id:* \`${escapeMrkdwn(d.id)}\` · *Request prefix:* ${escapeMrkdwn(d.prefix)} (requests are numbered ${escapeMrkdwn(d.prefix)}-1, ${escapeMrkdwn(d.prefix)}-2, …)`,
    `*Channel:* ${mentionChannel(d.channel)}`,
    `*Heads:* ${mentionList(d.heads, 30)}`,
    `*Members:* ${members.length ? `${mentionList(members, 50)} (${plural(people(d).length, 'member')} with the heads)` : 'none besides the heads'}`,
    ...(group ? [group] : []),
  ].join('\n');
  const calendar = [
    `*Working hours* (${escapeMrkdwn(d.calendar.timezone)})`,
    hoursText(d),
    ...[holidaysText(d), overridesText(d)].filter((x): x is string => x !== undefined),
  ].join('\n');
  return {
    text: `${escapeMrkdwn(d.name)} (${escapeMrkdwn(d.id)}): channel ${mentionChannel(d.channel)}, ${plural(people(d).length, 'member')}, ${escapeMrkdwn(d.calendar.timezone)}`,
    blocks: [
      header(d.name),
      section(about),
      section(calendar),
      context(`The clocks of agreements ${escapeMrkdwn(d.name)} provides run on these hours.`),
    ],
  };
}
