/**
 * `/sla dept ...`: anyone can list and show departments; Kept admins (KEPT_ADMINS) create them
 * and set heads, members, the user group and the channel. Answers come in the ack; reading a
 * user group's members from Slack goes to the worker.
 */
import type { Department } from '../../domain/department';
import { DepartmentSpec, departmentFromSpec, specOfDepartment } from '../../domain/department-spec';
import { type Directory, findDepartment } from '../../domain/directory';
import { issueLine, issuesOf } from '../../domain/issues';
import { saveDepartment } from '../../store/departments';
import { readDirectory } from '../../store/directory';
import { WriteConflictError } from '../../store/transact';
import { channelOf, usergroupOf, userOf } from '../args';
import { departmentMessage, departmentsMessage } from '../views/agreements';
import { escapeMrkdwn } from '../views/format';
import type { ListenerDeps } from './deps';
import { type Ephemeral, say } from './reply';

export const DEPT_USAGE = [
  '`/sla dept` — every department',
  '`/sla dept ID` — one department in full',
  '`/sla dept create ID "Name" #channel Time/Zone @head [@head ...]` — a new department (weekdays 09:00-17:00 in that zone; change the calendar with `kept import`)',
  '`/sla dept heads ID add|remove @person ...`',
  '`/sla dept members ID add|remove @person ...`',
  '`/sla dept group ID @user-group|none` — members from a Slack user group',
  '`/sla dept channel ID #channel` — where its request cards go',
].join('\n');

const WEEKDAY_HOURS = {
  mon: '09:00-17:00',
  tue: '09:00-17:00',
  wed: '09:00-17:00',
  thu: '09:00-17:00',
  fri: '09:00-17:00',
};

function needsAdmin(admins: readonly string[]): Ephemeral {
  return say(
    admins.length
      ? `Changing departments needs a Kept admin (${admins.map((a) => `<@${a}>`).join(', ')}).`
      : 'Changing departments needs a Kept admin, and none is set yet: whoever runs Kept lists them in KEPT_ADMINS.',
  );
}

/** Checks a changed department like the import does; a string is the problem to show. */
function validated(dir: Directory, d: Department, mode: 'create' | 'update'): Department | string {
  const parsed = DepartmentSpec.safeParse(specOfDepartment(d));
  if (!parsed.success) return issuesOf(parsed.error).map(issueLine).join('\n');
  if (mode === 'create' && findDepartment(dir, d.id)) return `There is already a department \`${d.id}\`.`;
  const clash = dir.departments.find((o) => o.id !== d.id && o.prefix === d.prefix);
  if (clash)
    return `Request IDs of \`${d.id}\` would start ${d.prefix}-, like those of \`${clash.id}\`. Create it with another id, or give it its own prefix in the import file.`;
  return departmentFromSpec(parsed.data, d);
}

async function save(
  deps: ListenerDeps,
  user: string,
  dir: Directory,
  d: Department,
  mode: 'create' | 'update',
  done: string,
): Promise<Ephemeral & { saved: boolean }> {
  const checked = validated(dir, d, mode);
  if (typeof checked === 'string') return { ...say(checked), saved: false };
  try {
    await saveDepartment(deps.db, checked, mode, dir.rev, {
      by: user,
      at: deps.now().toISOString(),
      before: findDepartment(dir, checked.id),
    });
  } catch (err) {
    if (err instanceof WriteConflictError)
      return { ...say('Someone changed departments at the same moment. Please run the command again.'), saved: false };
    throw err;
  }
  return { ...say(done), saved: true };
}

const reply = ({ saved: _saved, ...r }: Ephemeral & { saved: boolean }): Ephemeral => r;

function people(words: string[]): string[] | undefined {
  const ids = words.map(userOf);
  return ids.length > 0 && ids.every((id): id is string => id !== undefined) ? ids : undefined;
}

export async function deptCommand(deps: ListenerDeps, user: string, args: string[]): Promise<Ephemeral> {
  const [sub, ...rest] = args;
  const dir = await readDirectory(deps.db);
  if (sub === undefined || sub === 'list') return { response_type: 'ephemeral', ...departmentsMessage(dir) };
  const changes = ['create', 'heads', 'members', 'group', 'channel'];
  if (!changes.includes(sub)) {
    const d = findDepartment(dir, sub.toLowerCase());
    if (d) return { response_type: 'ephemeral', ...departmentMessage(d) };
    return say(`There is no department \`${escapeMrkdwn(sub.slice(0, 40))}\`. Try:\n${DEPT_USAGE}`);
  }
  if (!deps.config.KEPT_ADMINS.includes(user)) return needsAdmin(deps.config.KEPT_ADMINS);

  if (sub === 'create') {
    const [id, name, channelWord, timezone, ...headWords] = rest;
    const channel = channelWord ? channelOf(channelWord) : undefined;
    const heads = people(headWords);
    if (!id || !name || !channel || !timezone || !heads)
      return say(
        `To create a department: \`/sla dept create ID "Name" #channel Time/Zone @head\`, e.g. \`/sla dept create it "IT" #it-requests America/New_York @ana\`.`,
      );
    const d: Department = {
      id,
      name,
      heads,
      members: [],
      usergroupMembers: [],
      channel,
      calendar: { timezone, hours: WEEKDAY_HOURS },
      prefix: departmentFromSpec({ id, name, heads, channel, calendar: { timezone } }).prefix,
    };
    return reply(
      await save(
        deps,
        user,
        dir,
        d,
        'create',
        `Created *${escapeMrkdwn(name)}* (\`${id}\`): request IDs ${d.prefix}-1, ${d.prefix}-2, …; cards go to <#${channel}>; working hours weekdays 09:00-17:00 ${escapeMrkdwn(timezone)}.`,
      ),
    );
  }

  const [id, ...more] = rest;
  const d = id ? findDepartment(dir, id.toLowerCase()) : undefined;
  if (!d)
    return say(
      id
        ? `There is no department \`${escapeMrkdwn(id.slice(0, 40))}\`. \`/sla dept\` lists them.`
        : `Say which department. Try:\n${DEPT_USAGE}`,
    );

  if (sub === 'heads' || sub === 'members') {
    const [op, ...who] = more;
    const ids = people(who);
    if ((op !== 'add' && op !== 'remove') || !ids)
      return say(`Use \`/sla dept ${sub} ${d.id} add @person\` or \`remove @person\` (mention people with @).`);
    const list = new Set(d[sub]);
    for (const u of ids) {
      if (op === 'add') list.add(u);
      else list.delete(u);
    }
    if (sub === 'heads' && list.size === 0)
      return say(`${escapeMrkdwn(d.name)} needs at least one head: heads accept agreements. Add another head first.`);
    const role = sub === 'heads' ? 'heads' : 'members';
    return reply(
      await save(
        deps,
        user,
        dir,
        { ...d, [sub]: [...list] },
        'update',
        `${escapeMrkdwn(d.name)} ${role}: ${[...list].map((u) => `<@${u}>`).join(', ') || 'none listed'}.`,
      ),
    );
  }

  if (sub === 'group') {
    const word = more[0];
    if (word === 'none') {
      const { usergroup: _gone, ...rest2 } = d;
      return reply(
        await save(
          deps,
          user,
          dir,
          { ...rest2, usergroupMembers: [] },
          'update',
          `${escapeMrkdwn(d.name)} no longer takes members from a user group.`,
        ),
      );
    }
    const group = word ? usergroupOf(word) : undefined;
    if (!group) return say(`Use \`/sla dept group ${d.id} @user-group\` (mention the group with @), or \`none\`.`);
    const done = await save(
      deps,
      user,
      dir,
      { ...d, usergroup: group, usergroupMembers: [] },
      'update',
      `${escapeMrkdwn(d.name)} now takes members from <!subteam^${group}>. I'm reading who is in it from Slack; that takes a moment.`,
    );
    if (done.saved) await deps.outbox.send({ type: 'usergroups.sync', department: d.id });
    return reply(done);
  }

  // channel
  const channel = more[0] ? channelOf(more[0]) : undefined;
  if (!channel) return say(`Use \`/sla dept channel ${d.id} #channel\`.`);
  return save(
    deps,
    user,
    dir,
    { ...d, channel },
    'update',
    `${escapeMrkdwn(d.name)}'s request cards now go to <#${channel}>. Invite me there (\`/invite @Kept\`) if I'm not in it yet.`,
  );
}
