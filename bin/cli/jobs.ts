/** `kept scan [--now ISO]` and `kept digest [--now ISO]`: the scheduled jobs, run by hand. */
import { parseArgs } from 'node:util';
import { parseConfig } from '../../functions/config';
import { digestSlackClient } from '../../functions/jobs/digest';
import { outboxFromConfig } from '../../functions/jobs/in-process-outbox';
import { runScheduled } from '../../functions/jobs/scheduled';
import { withDb } from './db';
import { type CliIO, EXIT, UsageError } from './io';

export function parseNow(value: string | undefined, command: string): Date {
  if (value === undefined) return new Date();
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(value)
    ? Date.parse(value)
    : NaN;
  if (Number.isNaN(ms))
    throw new UsageError(
      `kept ${command}: --now "${value}" is not an ISO-8601 instant; use a form like 2026-11-25T14:30:00Z`,
    );
  return new Date(ms);
}

export async function job(command: 'scan' | 'digest', args: string[], io: CliIO): Promise<number> {
  let now: Date;
  try {
    const { values } = parseArgs({ args, options: { now: { type: 'string' } }, strict: true, allowPositionals: false });
    now = parseNow(values.now, command);
  } catch (err) {
    io.err(
      err instanceof UsageError
        ? err.message
        : `kept ${command}: ${(err as Error).message.split('\n')[0]}; usage: kept ${command} [--now ISO]`,
    );
    return EXIT.usage;
  }
  const config = parseConfig(io.env);
  const line = await withDb(config, async (db) => {
    // In this process: the command ends when its work is done. With --now, the work runs on the
    // replayed clock too (moving on with real time), so a replayed scan's DMs read as they would have.
    const started = Date.now();
    const replayed = () => new Date(now.getTime() + (Date.now() - started));
    const outbox = outboxFromConfig(config, db, replayed);
    const done = await runScheduled(
      {
        db,
        outbox,
        slack: digestSlackClient(config),
        ...(config.KEPT_RETENTION_MONTHS !== undefined ? { retentionMonths: config.KEPT_RETENTION_MONTHS } : {}),
      },
      { job: command, scheduledTime: now.toISOString() },
    );
    await outbox.idle();
    return done;
  });
  io.out(line);
  return EXIT.ok;
}
