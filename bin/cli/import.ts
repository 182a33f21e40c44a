/**
 * `kept import FILE.yaml [--dry-run]`: agreements as code. Reads and checks the whole file
 * first; an invalid file lists every problem with its path, exits 2 and writes nothing.
 * A valid one is applied change by change (see functions/store/import.ts); running it again
 * changes nothing.
 */
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { parseStoreAndSlackClientConfig, parseStoreConfig } from '../../functions/config';
import { adviceLines, adviceSource } from '../../functions/domain/advice';
import type { Directory } from '../../functions/domain/directory';
import { validateImport } from '../../functions/domain/import-file';
import { adviceTarget, type ImportChange, type ImportPlan, planImport } from '../../functions/domain/import-plan';
import { issueLine } from '../../functions/domain/issues';
import { syncUsergroups } from '../../functions/slack/usergroups';
import { createSlackClient } from '../../functions/slack/web-client';
import type { Db } from '../../functions/store/client';
import { readDirectory } from '../../functions/store/directory';
import { applyImport } from '../../functions/store/import';
import { readMetrics } from '../../functions/store/metrics';
import { readAdvice } from '../../functions/store/stats';
import { readAllTips, TipExistsError } from '../../functions/store/tips';
import { WriteConflictError } from '../../functions/store/transact';
import { withDb } from './db';
import { type CliIO, EXIT } from './io';

const USAGE = 'usage: kept import FILE.yaml [--dry-run]';

/**
 * Who the audit trail names for a change made from this command line: `cli:<os user>`, or
 * `cli:kept import` when the operating system does not say.
 */
export function cliAuditor(env: Record<string, string | undefined>): string {
  let name = (env.USER ?? env.USERNAME ?? '').trim();
  if (!name) {
    try {
      name = userInfo().username;
    } catch {
      name = '';
    }
  }
  return `cli:${name || 'kept import'}`;
}

function describeChange(c: ImportChange): string {
  switch (c.kind) {
    case 'department.create':
      return `+ department ${c.department.id} (${c.department.name}), request IDs ${c.department.prefix}-1, ${c.department.prefix}-2, ...`;
    case 'department.update':
      return `~ department ${c.department.id} (${c.department.name}) updated`;
    case 'agreement.activate':
      return `${c.retires ? '~' : '+'} agreement ${c.agreement.id} version ${c.agreement.version} active${c.retires ? ` (version ${c.retires} retired)` : ''}${c.withdraws ? ` (waiting proposal version ${c.withdraws} withdrawn)` : ''}`;
    case 'digest.set':
      return `~ digest for ${c.digest.channel}: ${c.digest.weekday} ${c.digest.time} ${c.digest.timezone}`;
    case 'tip.add':
      return `+ tip ${c.tip.id} (${c.tip.title}), ${c.tip.kind}`;
    case 'tip.edit':
      return `~ tip ${c.tip.id} (${c.tip.title}) reworded`;
    case 'tip.retire':
      return `- tip ${c.id} (${c.title}) retired`;
    case 'tip.unretire':
      return `+ tip ${c.id} (${c.title}) back in the rotation`;
    case 'metric.set':
      return `${c.replaces === undefined ? '+' : '~'} metric ${c.value.metric} of ${c.value.department} for ${c.value.week}: ${c.value.value}${c.replaces === undefined ? '' : ` (was ${c.replaces})`}`;
  }
}

/**
 * A dry run's target advice for an agreement whose targets are new or changed (domain/advice.ts):
 * indented lines under its change, from the provider's last quarter (one query per agreement).
 */
async function adviceOf(db: Db, plan: ImportPlan, c: ImportChange, dir: Directory, now: number): Promise<string[]> {
  const a = adviceTarget(plan, c, dir);
  if (!a || c.kind !== 'agreement.activate') return [];
  const { advice } = await readAdvice(db, { ...a, targets: c.agreement.targets, now });
  if (advice.priorities.length === 0) return [];
  return [
    `  target advice, from ${adviceSource(advice, a.providerName)}:`,
    ...adviceLines(advice).map((l) => `    ${l}`),
  ];
}

function summary(plan: ImportPlan, file: string, dryRun: boolean): string {
  if (plan.changes.length === 0)
    return `${file}: nothing to change; all ${plan.unchanged} entries are already up to date.`;
  const n = plan.changes.length;
  return `${file}: ${dryRun ? 'would make' : 'made'} ${n} change${n === 1 ? '' : 's'}${plan.unchanged ? `; ${plan.unchanged} already up to date` : ''}.`;
}

export async function importFile(args: string[], io: CliIO): Promise<number> {
  let file: string;
  let dryRun: boolean;
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { 'dry-run': { type: 'boolean' } },
      strict: true,
      allowPositionals: true,
    });
    if (positionals.length !== 1)
      throw new Error(positionals.length === 0 ? 'give the file to import' : 'give one file at a time');
    file = positionals[0]!;
    dryRun = values['dry-run'] === true;
  } catch (err) {
    io.err(`kept import: ${(err as Error).message.split('\n')[0]}; ${USAGE}`);
    return EXIT.usage;
  }

  let text: string;
  try {
    text = await io.readFile(file);
  } catch (err) {
    io.err(`kept import: cannot read ${file}: ${(err as Error).message.split('\n')[0]}`);
    return EXIT.usage;
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (err) {
    const where =
      err instanceof YAMLParseError && err.linePos ? `line ${err.linePos[0].line}, column ${err.linePos[0].col}: ` : '';
    const what = (err as Error).message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    io.err(`kept import: ${file} is not valid YAML: ${where}${what}`);
    return EXIT.usage;
  }

  // Slack is needed only to read the user groups the file names, after writing: with a bot token its
  // settings are checked now, before anything is written; without one (or for a dry run) the import
  // needs the database settings alone and the groups are read once Kept runs with Slack.
  const slack =
    !dryRun && (io.env.SLACK_BOT_TOKEN ?? '').trim() !== '' ? parseStoreAndSlackClientConfig(io.env) : undefined;
  const config = slack ?? parseStoreConfig(io.env);
  return withDb(config, async (db) => {
    const dir = await readDirectory(db);
    const tips = await readAllTips(db);
    const checked = validateImport(data, dir, tips);
    if (!checked.ok) {
      const n = checked.error.length;
      io.err(`kept import: ${file} has ${n} problem${n === 1 ? '' : 's'}; nothing was imported:`);
      for (const issue of checked.error) io.err(issueLine(issue));
      return EXIT.usage;
    }
    const clock = io.now?.() ?? new Date();
    const now = clock.toISOString();
    const keptMetrics = (
      await Promise.all([...new Set(checked.value.metrics.map((m) => m.department))].map((d) => readMetrics(db, d)))
    ).flat();
    const plan = planImport(checked.value, dir, now, tips, keptMetrics);
    for (const c of plan.changes) {
      io.out(describeChange(c));
      if (dryRun) for (const line of await adviceOf(db, plan, c, dir, clock.getTime())) io.out(line);
    }
    if (!dryRun) {
      try {
        await applyImport(db, plan, dir, now, cliAuditor(io.env));
      } catch (err) {
        if (err instanceof TipExistsError) {
          io.err(
            `kept import: tip ${err.id} was added in Slack while importing; run the same import again to finish (what was done stays done).`,
          );
          return EXIT.failed;
        }
        if (!(err instanceof WriteConflictError)) throw err;
        io.err(
          `kept import: departments or agreements changed while importing; run the same import again to finish (what was done stays done).`,
        );
        return EXIT.failed;
      }
    }
    io.out(summary(plan, file, dryRun));
    if (!dryRun && checked.value.departments.some((d) => d.usergroup)) {
      // Only the groups this file names; other departments keep their cached members.
      const named = checked.value.departments.filter((d) => d.usergroup);
      if (!slack) {
        for (const d of named) {
          io.err(
            `kept import: the members of user group ${d.usergroup} (${d.id}) were not read from Slack, as SLACK_BOT_TOKEN is not set. Its heads and listed members count meanwhile; Kept reads the group within 15 minutes once it runs with its Slack settings, or run the import again with SLACK_BOT_TOKEN set.`,
          );
        }
        return EXIT.ok;
      }
      const ids = new Set(named.map((d) => d.id));
      const after = await readDirectory(db);
      const dir = { ...after, departments: after.departments.filter((d) => ids.has(d.id)) };
      const sync = await syncUsergroups(db, createSlackClient(slack), dir, { maxAgeMs: 0 });
      for (const f of sync.failed) {
        io.err(
          `kept import: could not read the members of user group ${f.usergroup} (${f.department}) from Slack: ${f.error}. Its heads and listed members count meanwhile; run the import again (or /sla dept group) to retry.`,
        );
      }
    }
    return EXIT.ok;
  });
}
