/**
 * `/sla audit [DEPT]`: a department's last 20 audit lines (store/audit.ts), ephemeral, for its
 * heads and Kept admins; anyone else gets one line and nothing of the trail. Without DEPT, the
 * department the asker heads. The before and after in full are for `kept audit --format json`.
 */
import { changedFields } from '../../domain/audit';
import { type Department, isHead } from '../../domain/department';
import { departmentsHeadedBy, findDepartmentByIdOrName } from '../../domain/directory';
import { type AuditLine, readAudit } from '../../store/audit';
import { readDirectory } from '../../store/directory';
import { escapeMrkdwn } from '../views/format';
import type { ListenerDeps } from './deps';
import { type Ephemeral, say } from './reply';

/** How many lines `/sla audit` shows, newest last. */
export const AUDIT_SHOWN = 20;

const USAGE = '`/sla audit [dept]`';

function who(by: string): string {
  return by.startsWith('cli:') ? `\`${escapeMrkdwn(by)}\` (command line)` : `<@${by}>`;
}

export function auditLineText(line: AuditLine): string {
  const when = `${line.at.slice(0, 16).replace('T', ' ')} UTC`;
  const fields = changedFields(line.before, line.after);
  const what = `${line.subject} \`${escapeMrkdwn(line.id)}\` ${escapeMrkdwn(line.action)}`;
  return `• ${when}: ${who(line.by)}: ${what}${fields.length ? ` (${fields.map(escapeMrkdwn).join(', ')})` : ''}`;
}

export async function auditCommand(deps: ListenerDeps, user: string, args: readonly string[]): Promise<Ephemeral> {
  if (args.length > 1) return say(`Name one department: ${USAGE}.`);
  const dir = await readDirectory(deps.db);
  const admin = deps.config.KEPT_ADMINS.includes(user);
  let department: Department | undefined;
  if (args[0] !== undefined) {
    department = findDepartmentByIdOrName(dir, args[0].toLowerCase());
    if (!department) {
      const raw = args[0];
      const shown = escapeMrkdwn(raw.length > 30 ? `${raw.slice(0, 30)}…` : raw);
      return say(`There is no department \`${shown}\`. \`/sla dept\` lists them.`);
    }
  } else {
    const headed = departmentsHeadedBy(dir, user);
    if (headed.length !== 1)
      return say(
        headed.length > 1
          ? `You head ${headed.map((d) => `\`${d.id}\``).join(', ')}: say which, ${USAGE}.`
          : `Say which department's changes to show: ${USAGE}. The audit trail is for its heads and Kept admins.`,
      );
    department = headed[0]!;
  }
  if (!admin && !isHead(department, user))
    return say(
      `Only the heads of ${escapeMrkdwn(department.name)} and Kept admins can read its audit trail; ask one of its heads (${department.heads.map((h) => `<@${h}>`).join(', ')}) if you need to know what changed.`,
    );
  const lines = await readAudit(deps.db, [department.id], { last: AUDIT_SHOWN });
  if (lines.length === 0) return say(`No changes to ${escapeMrkdwn(department.name)} have been recorded yet.`);
  return say(
    [
      `*${escapeMrkdwn(department.name)}: the last ${lines.length === 1 ? 'change' : `${lines.length} changes`}*, oldest first (the whole trail, with before and after: \`kept audit --dept ${department.id}\`)`,
      ...lines.map(auditLineText),
    ].join('\n'),
  );
}
