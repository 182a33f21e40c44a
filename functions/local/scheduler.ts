/** The in-process scheduler of `npm start`: the same jobs and times as EventBridge Scheduler in AWS. */
import { Cron } from 'croner';
import type { JobDeps } from '../jobs/scan';
import { DIGEST_CRON, SCAN_EVERY_MINUTES } from '../jobs/schedule';
import { runScheduled } from '../jobs/scheduled';
import { logger } from '../log';

type Job = 'scan' | 'digest';

/** What `/healthz` says of each job: when it last finished well, and its last failure if later. */
export type SchedulerStatus = Record<Job, { lastSuccess?: string; lastFailure?: { at: string; error: string } }>;

export interface LocalScheduler {
  stop(): void;
  status(): SchedulerStatus;
  /** Runs `job` for `scheduledTime` now, as the timer would (the timers call this). */
  runNow(job: Job, scheduledTime: Date): Promise<void>;
}

export function startScheduler(deps: JobDeps, clock: () => Date = () => new Date()): LocalScheduler {
  const status: SchedulerStatus = { scan: {}, digest: {} };
  const runNow = async (job: Job, scheduledTime: Date) => {
    try {
      await runScheduled(deps, { job, scheduledTime: scheduledTime.toISOString() });
      status[job] = { lastSuccess: clock().toISOString() };
    } catch (err) {
      logger.error(`${job} failed`, { error: (err as Error).message });
      status[job] = { ...status[job], lastFailure: { at: clock().toISOString(), error: (err as Error).message } };
    }
  };
  // The run's own minute, on `clock` (the playground moves it on; otherwise it is the real time).
  const run = (job: Job) => (self: Cron) =>
    runNow(job, new Date((self.currentRun() ?? new Date()).getTime() + clock().getTime() - Date.now()));
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
    status: () => structuredClone(status),
    runNow,
  };
}
