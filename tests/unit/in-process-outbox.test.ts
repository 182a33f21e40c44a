/**
 * The worker in this process runs as many items at once as the worker Lambdas in AWS may: a burst of
 * work waits its turn (in order) instead of taking every DynamoDB connection from the people being
 * answered, and every item still runs once.
 */
import { inProcessOutbox } from '../../functions/jobs/in-process-outbox';
import { limitTo } from '../../functions/limit';
import type { WorkItem } from '../../functions/work/item';
import { WORKER_MAX_CONCURRENCY } from '../../functions/work/worker-settings';

const item = (n: number): WorkItem => ({ type: 'slack.post', key: `k-${n}`, channel: 'C0QUEUE001', text: `m${n}` });

it(`a burst of 12 items runs ${WORKER_MAX_CONCURRENCY} at a time, each once, in the order sent`, async () => {
  let running = 0;
  let most = 0;
  const started: string[] = [];
  const finish: Array<() => void> = [];
  const outbox = inProcessOutbox(async (w) => {
    running++;
    most = Math.max(most, running);
    started.push(w.type === 'slack.post' ? w.text : '');
    await new Promise<void>((resolve) => finish.push(resolve));
    running--;
  });
  for (let n = 0; n < 12; n++) await outbox.send(item(n));
  const done = outbox.idle();
  // Let each item the limit admits finish, one at a time, until all twelve have run.
  while (started.length < 12 || finish.length > 0) {
    await new Promise((resolve) => setImmediate(resolve));
    finish.shift()?.();
  }
  await done;
  expect(most).toBe(WORKER_MAX_CONCURRENCY);
  expect(started).toEqual(Array.from({ length: 12 }, (_, n) => `m${n}`));
});

it('limitTo hands a finished place to the next waiting function, so the limit is never passed', async () => {
  const turn = limitTo(2);
  let running = 0;
  let most = 0;
  const gates: Array<() => void> = [];
  const runs = Array.from({ length: 6 }, () =>
    turn(async () => {
      running++;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => gates.push(resolve));
      running--;
    }),
  );
  while (gates.length > 0 || running > 0) {
    await new Promise((resolve) => setImmediate(resolve));
    gates.shift()?.();
  }
  await Promise.all(runs);
  expect(most).toBe(2);
});
