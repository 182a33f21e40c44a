/** Runs one scheduled job for an event from EventBridge Scheduler (or the local scheduler). */
import { logger } from '../log';
import { describeDigest, runDigest } from './digest';
import { describeScan, runScan, type JobDeps } from './scan';
import { ScheduledEvent } from './schedule';

export async function runScheduled(deps: JobDeps, input: unknown, now = new Date()): Promise<string> {
  const event = ScheduledEvent.parse(input);
  const at = event.scheduledTime ? new Date(event.scheduledTime) : now;
  const line = event.job === 'scan' ? describeScan(await runScan(deps, at)) : describeDigest(await runDigest(deps, at));
  logger.info(line, { job: event.job });
  return line;
}
