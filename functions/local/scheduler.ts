/** The in-process scheduler of `npm start`: the same jobs and times as EventBridge Scheduler in AWS. */
import { Cron } from 'croner';
import type { JobDeps } from '../jobs/scan';
import { DIGEST_CRON, SCAN_EVERY_MINUTES } from '../jobs/schedule';
import { runScheduled } from '../jobs/scheduled';
import { logger } from '../log';

export interface LocalScheduler {
  stop(): void;
}

export function startScheduler(deps: JobDeps): LocalScheduler {
  const run = (job: 'scan' | 'digest') => async (self: Cron) => {
    const scheduledTime = (self.currentRun() ?? new Date()).toISOString();
    await runScheduled(deps, { job, scheduledTime }).catch((err: Error) =>
      logger.error(`${job} failed`, { error: err.message }),
    );
  };
  // protect: a run still going when the next is due is skipped, not overlapped.
  const jobs = [
    new Cron(`*/${SCAN_EVERY_MINUTES} * * * *`, { protect: true, name: 'scan' }, run('scan')),
    // Every 15 minutes; each digest channel is posted at its own weekday, time and zone.
    new Cron(DIGEST_CRON, { protect: true, name: 'digest' }, run('digest')),
  ];
  return {
    stop: () => {
      for (const j of jobs) j.stop();
    },
  };
}
