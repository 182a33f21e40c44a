/** The tests' one polling helper (tests/support/eventually.ts): what it returns and how it fails. */
import { eventually, GiveUp } from '../support/eventually';

it('returns the first value that is not false', async () => {
  let tries = 0;
  await expect(eventually(() => ++tries >= 3 && `after ${tries}`)).resolves.toBe('after 3');
});

it("fails after the deadline with the check's last error, or says the predicate stayed false", async () => {
  let tries = 0;
  await expect(eventually(() => expect(++tries).toBe(0), { timeoutMs: 30, intervalMs: 1 })).rejects.toThrow(
    /Expected: 0/,
  );
  await expect(eventually(() => false, { timeoutMs: 30, intervalMs: 1 })).rejects.toThrow('still false after 30 ms');
});

it('stops at once on GiveUp', async () => {
  let tries = 0;
  const check = () => {
    tries += 1;
    throw new GiveUp('it exited');
  };
  await expect(eventually(check, { timeoutMs: 5_000 })).rejects.toThrow('it exited');
  expect(tries).toBe(1);
});
