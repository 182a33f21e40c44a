/**
 * Target advice in Slack (domain/advice.ts): read for the propose form and the proposal DMs, one
 * query of the provider's day counters, bounded: if it does not answer within `ADVICE_WAIT_MS` (or
 * fails), the form or DM goes without advice rather than wait. docs/agreements.md "Target advice".
 */
import type { Advice } from '../domain/advice';
import type { Targets } from '../domain/agreement';
import { type Directory, findDepartment } from '../domain/directory';
import { logger } from '../log';
import type { Db } from '../store/client';
import { readAdvice } from '../store/stats';

/** How long the form or a DM waits for the advice before going without it. */
export const ADVICE_WAIT_MS = 1500;

export interface ShownAdvice {
  advice: Advice;
  /** The provider's name, as the advice's source line names it. */
  providerName: string;
}

/**
 * The advice for `terms`' targets as of `now`: from the agreement's own history when `own` (an
 * active agreement of the same provider is being changed), else from every agreement the provider
 * keeps. Undefined when the provider is unknown, the terms set no targets, or the read is late.
 */
export async function readShownAdvice(
  db: Db,
  dir: Directory,
  terms: { id: string; provider: string; targets: Targets },
  own: boolean,
  now: number,
  waitMs = ADVICE_WAIT_MS,
): Promise<ShownAdvice | undefined> {
  const provider = findDepartment(dir, terms.provider);
  if (!provider || Object.keys(terms.targets).length === 0) return undefined;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), waitMs);
    timer.unref?.();
  });
  const read = readAdvice(db, {
    provider: { id: provider.id, timezone: provider.calendar.timezone },
    agreement: own ? terms.id : undefined,
    targets: terms.targets,
    now,
  }).then(
    (r) => r.advice,
    (err: unknown) => {
      logger.warn('target advice not read', { agreement: terms.id, error: (err as Error).message });
      return undefined;
    },
  );
  try {
    const advice = await Promise.race([read, late]);
    if (!advice) {
      logger.warn('target advice left out', { agreement: terms.id });
      return undefined;
    }
    return { advice, providerName: provider.name };
  } finally {
    clearTimeout(timer);
  }
}
