/**
 * What a request action brings with it into the same transaction as the request change: a waived
 * penalty's compensating ledger entry and audit line, a confirmed recovery's credits, and its
 * "turned it around" mention in the week's digest.
 */
import type { Department } from '../domain/department';
import { turnedAround } from '../domain/kudos';
import { breachOf, cycleOf, type Request } from '../domain/request';
import type { TargetKind } from '../domain/target-clock';
import { auditItems } from '../store/audit';
import type { Db } from '../store/client';
import { turnedAroundItem } from '../store/kudos';
import { creditItems, waiverItems } from '../store/ledger';
import type { TransactItem } from '../store/transact';
import { calendarOf } from './calendars';

/**
 * The compensating ledger entry of a waived penalty (the breach on `request` already carries the
 * waiver; `named`: an earlier cycle's), and the penalty change's audit line (the breach before and after).
 */
export function waiverLedger(
  db: Db,
  before: Request,
  request: Request,
  kind: TargetKind,
  named?: number,
): TransactItem[] {
  const cycle = kind === 'resolution' ? (named ?? cycleOf(request)) : 1;
  const breach = breachOf(request, kind, cycle);
  if (!breach?.waived) return [];
  const audit = auditItems(db, {
    subject: 'penalty',
    id: `${request.id}/${kind}`,
    action: 'waived',
    by: breach.waived.by,
    at: new Date(breach.waived.at).toISOString(),
    departments: [request.provider, request.customer],
    before: breachOf(before, kind, cycle),
    after: breach,
  });
  const ledger = waiverItems(db, {
    type: 'waiver',
    agreementId: request.agreementId,
    agreementVersion: request.agreementVersion,
    month: breach.month,
    request: request.id,
    kind,
    amount: -breach.amount,
    unit: breach.unit,
    at: new Date(breach.waived.at).toISOString(),
    by: breach.waived.by,
    reason: breach.waived.reason,
    ...(cycle > 1 ? { cycle } : {}),
  });
  return [...ledger, ...audit];
}

/**
 * The recovery credits a confirmation earned (new on `request`, none on `before`): one compensating
 * ledger entry per breach, in the same transaction as the request change.
 */
export function creditLedger(db: Db, before: Request, request: Request): TransactItem[] {
  if (before.recovery?.credits?.length) return [];
  const credits = request.recovery?.credits ?? [];
  const by = request.recovery?.confirmed?.by;
  return credits.flatMap((c) => {
    const breach = breachOf(request, c.kind, c.cycle);
    if (!breach) return [];
    return creditItems(db, {
      type: 'credit',
      agreementId: request.agreementId,
      agreementVersion: request.agreementVersion,
      month: c.month,
      request: request.id,
      kind: c.kind,
      amount: -c.amount,
      unit: c.unit,
      at: new Date(breach.dueAt).toISOString(),
      ...(by ? { by } : {}),
      reason: 'Recovery confirmed by the requester in time',
      ...(c.cycle > 1 ? { cycle: c.cycle } : {}),
    });
  });
}

/** A confirmed recovery's mention in its week's digest ("turned it around"), with the request change. */
export function turnedAroundItems(db: Db, before: Request, request: Request, provider: Department): TransactItem[] {
  const t = turnedAround(before, request, calendarOf(provider).spec.timezone);
  return t ? [turnedAroundItem(db, t)] : [];
}
