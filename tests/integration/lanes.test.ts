/**
 * Locally the background (the worker's items, the scan, the digest) shares one DynamoDB Local with
 * the people waiting on an answer, and gives way to them (functions/local/lanes.ts): while someone
 * waits, its calls wait for the answers, and then go one at a time.
 */

import { Answering, giveWayToAnswers } from '../../functions/local/lanes';
import type { Db } from '../../functions/store/client';
import { GetCommand } from '../../functions/store/commands';
import { dropTable, freshTable } from '../support/db';

let db: Db;
/** Calls that reached DynamoDB (past the give-way), and the most at once. */
let reached: number;
let inFlight: number;
let most: number;

beforeEach(async () => {
  db = await freshTable();
  reached = 0;
  inFlight = 0;
  most = 0;
});
afterEach(() => dropTable(db));

function watch(target: Db): void {
  // Added after giveWayToAnswers: it sees only the calls that were let through.
  target.raw.middlewareStack.add(
    (next) => async (args) => {
      reached++;
      most = Math.max(most, ++inFlight);
      try {
        return await next(args);
      } finally {
        inFlight--;
      }
    },
    { step: 'initialize', name: 'watchReached', priority: 'low' },
  );
}

const read = (target: Db, i: number) =>
  target.doc.send(new GetCommand({ TableName: target.table, Key: { pk: `X#${i}`, sk: 'X' } }));

/** A request someone waits on, held open until `finish()`. */
function holdAnswer(answering: Answering): { finish: () => void; done: Promise<void> } {
  let finish!: () => void;
  const done = answering.during(() => new Promise<void>((resolve) => (finish = resolve)));
  return { finish, done };
}

it('with nobody waiting, background calls go at once and together', async () => {
  const answering = new Answering();
  giveWayToAnswers(db, answering);
  watch(db);
  await Promise.all([0, 1, 2, 3].map((i) => read(db, i)));
  expect(reached).toBe(4);
  expect(most).toBeGreaterThan(1);
});

it('while someone waits on an answer, background calls wait; when the answer is done they go', async () => {
  const answering = new Answering();
  giveWayToAnswers(db, answering, 60_000);
  watch(db);
  const answer = holdAnswer(answering);
  const background = Promise.all([0, 1, 2].map((i) => read(db, i)));
  // A DynamoDB call of the answer's own (its own client) goes meanwhile.
  const front = await freshTable();
  await read(front, 9);
  await dropTable(front);
  expect(reached).toBe(0);
  answer.finish();
  await answer.done;
  await background;
  expect(reached).toBe(3);
});

it('a long rush of answers never stops the background: after the pause it goes on, one call at a time', async () => {
  const answering = new Answering();
  giveWayToAnswers(db, answering, 0); // no pause at all: straight to one at a time
  watch(db);
  const answer = holdAnswer(answering);
  await Promise.all([0, 1, 2, 3, 4].map((i) => read(db, i)));
  expect(reached).toBe(5);
  expect(most).toBe(1);
  answer.finish();
  await answer.done;
});
