/**
 * Locally one Node process and one DynamoDB Local serve both the people waiting on an answer and
 * the background work: the worker's items, the scan, the digest. (In AWS these are separate
 * Lambdas, and DynamoDB answers each call in milliseconds.) So the background gives way: while
 * anyone waits on an answer, each of its DynamoDB calls waits until the answers are done, up to
 * BACKGROUND_PAUSE_MAX_MS, and then goes one at a time. It never stops for long, and the answers go
 * first.
 */
import { limitTo } from '../limit';
import type { Db } from '../store/client';

/** The longest a background DynamoDB call waits for the answers before it goes anyway (one at a time). */
export const BACKGROUND_PAUSE_MAX_MS = 1_000;

/** Counts the requests someone waits on, and tells the background when there are none. */
export class Answering {
  private count = 0;
  private quietNow: Array<() => void> = [];

  get busy(): boolean {
    return this.count > 0;
  }

  /** Runs `work` (a request someone waits on), counted while it runs. */
  async during<T>(work: () => Promise<T>): Promise<T> {
    this.count++;
    try {
      return await work();
    } finally {
      if (--this.count === 0) for (const resolve of this.quietNow.splice(0)) resolve();
    }
  }

  /** Resolves when no request is waiting, or after `maxMs`, whichever comes first. */
  quiet(maxMs: number): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, maxMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.quietNow.push(done);
    });
  }
}

/** Makes `db` (the background's client) give way to the requests `answering` counts. */
export function giveWayToAnswers(db: Db, answering: Answering, pauseMaxMs = BACKGROUND_PAUSE_MAX_MS): void {
  const oneAtATime = limitTo(1);
  db.raw.middlewareStack.add(
    (next) => async (args) => {
      await answering.quiet(pauseMaxMs);
      return answering.busy ? oneAtATime(() => next(args)) : next(args);
    },
    { step: 'initialize', name: 'giveWayToAnswers' },
  );
}
