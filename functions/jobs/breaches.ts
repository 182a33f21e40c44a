/**
 * What the scan does to one request whose check has come: records each breach (once, at its true
 * due instant, with the penalty of the agreement version the request was filed under), each
 * at-risk warning (once per target), each step of an escalation ladder (once per target cycle), the
 * daily reminder of a breached target still open (once a working day), each waiting rule of a
 * request nobody answered (once per pause), and closes a resolved request whose 7-day reopen window is
 * over (at the window's end), each as a change of the request with its history line, its
 * report counters and, for a breach, its ledger entry, all in one transaction. Then the worker is
 * asked to tell Slack. Runs that repeat or overlap find the breach already recorded (the request's
 * `rev` and the ledger entry are conditions), so nothing is ever counted twice.
 */
import { multiplierFor, penaltyFor } from '../domain/agreement';
import type { Department } from '../domain/department';
import { type Directory, findDepartment } from '../domain/directory';
import { cycleOf, type Request, type RequestAction, SYSTEM_ACTOR, SYSTEM_RIGHTS } from '../domain/request';
import { decide } from '../domain/request-actions';
import type { TargetKind } from '../domain/target-clock';
import { type Finding, findingsAt } from '../domain/watch';
import { monthOf } from '../domain/weeks';
import { calendarOf } from '../services/calendars';
import { getAgreementVersion, type StoredAgreementVersion } from '../store/agreements';
import type { Db } from '../store/client';
import { chargeItems, type LedgerTotal, readTotal } from '../store/ledger';
import { getRequest, saveChange } from '../store/requests';
import { type TransactItem, WriteConflictError } from '../store/transact';

export interface CheckOutcome {
  breaches: number;
  warnings: number;
  /** Escalation ladder steps sent. */
  escalations: number;
  /** Daily reminders of breached targets still open. */
  reminders: number;
  /** Resolved requests closed because their reopen window ended. */
  closed: number;
  /** Waiting rules applied to requests nobody answered (a reminder, a resume or a close). */
  followUps: number;
  /** The targets whose breach this check recorded. */
  missed: TargetKind[];
}

const versions = new Map<string, Promise<StoredAgreementVersion | undefined>>();
/**
 * Agreement versions never change once written, so one read per process is enough. Only a version
 * that was found is kept: a read that failed (a timeout, a throttle) or found nothing is forgotten,
 * so the next scan reads again instead of leaving that agreement's breaches unrecorded for as long
 * as the container lives.
 */
function versionOf(db: Db, id: string, version: number): Promise<StoredAgreementVersion | undefined> {
  const key = `${db.table}/${id}/${version}`;
  let found = versions.get(key);
  if (!found) {
    found = getAgreementVersion(db, id, version);
    versions.set(key, found);
    found.then(
      (v) => {
        if (!v) versions.delete(key);
      },
      () => versions.delete(key),
    );
  }
  return found;
}

/** Tries per request and run; breaches of one agreement and month take turns on the month's ledger total. */
const MAX_ATTEMPTS = 16;

/**
 * The month ledger totals one scan run has read or moved, by agreement and month: the run's
 * breaches of one agreement are recorded one after another, each moving the total it knows, so the
 * total is read once per agreement and month, not once per breach. A charge's transaction is
 * conditioned on the total it was worked out from, so a total another run moved in between fails
 * the write; the run then forgets it and reads it again.
 */
export class LedgerTotals {
  private readonly totals = new Map<string, LedgerTotal>();
  async read(db: Db, agreementId: string, month: string): Promise<LedgerTotal> {
    const key = `${agreementId}#${month}`;
    const known = this.totals.get(key);
    if (known) return known;
    const total = await readTotal(db, agreementId, month);
    this.totals.set(key, total);
    return total;
  }
  moved(agreementId: string, month: string, total: LedgerTotal): void {
    this.totals.set(`${agreementId}#${month}`, total);
  }
  forget(agreementId: string): void {
    for (const key of this.totals.keys()) if (key.startsWith(`${agreementId}#`)) this.totals.delete(key);
  }
}

/**
 * Records what is due on request `id` at `now`. The request is read once: each change goes on from
 * the request as it was written (its `rev` is the next write's condition), and only when someone
 * else wrote first are the request and the ledger total read again and everything decided again.
 */
export async function checkRequest(
  db: Db,
  dir: Directory,
  id: string,
  now: Date,
  totals: LedgerTotals = new LedgerTotals(),
): Promise<CheckOutcome> {
  const outcome: CheckOutcome = {
    breaches: 0,
    warnings: 0,
    escalations: 0,
    reminders: 0,
    closed: 0,
    followUps: 0,
    missed: [],
  };
  let written: Request | undefined;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const request = written ?? (await getRequest(db, id));
    written = undefined;
    if (!request) return outcome;
    const provider = findDepartment(dir, request.provider);
    if (!provider) return outcome;
    const calendar = calendarOf(provider);
    const [finding] = findingsAt(request, calendar, now.getTime());
    if (!finding) return outcome;
    try {
      if (finding.type === 'breach') {
        written = await recordBreach(db, request, finding, calendar.zone, provider, now, totals);
        outcome.breaches++;
        outcome.missed.push(finding.kind);
      } else if (finding.type === 'warn') {
        written = await record(db, request, { type: 'warn', kind: finding.kind }, provider, now, []);
        outcome.warnings++;
      } else if (finding.type === 'escalate') {
        // A condition on the request's rev: repeated and overlapping scans send each step once.
        written = await record(
          db,
          request,
          { type: 'escalate', step: finding.step, kind: finding.kind },
          provider,
          now,
          [],
        );
        outcome.escalations++;
      } else if (finding.type === 'remind') {
        // The rev condition again: once a working day, however many scans run.
        written = await record(db, request, { type: 'remind', kind: finding.kind }, provider, now, []);
        outcome.reminders++;
      } else if (finding.type === 'unanswered') {
        // The reminder goes out now; a resume or close happens at its true instant, however late the scan.
        const at = finding.rule === 'remind' ? now : new Date(finding.dueAt);
        written = await record(db, request, { type: 'unanswered', rule: finding.rule }, provider, at, []);
        outcome.followUps++;
      } else {
        // At the end of the reopen window, however late the scan comes.
        written = await record(db, request, { type: 'close' }, provider, new Date(finding.at), []);
        outcome.closed++;
      }
    } catch (err) {
      if (!(err instanceof WriteConflictError)) throw err;
      totals.forget(request.agreementId);
      // A user's change, another scan, or a breach of the same agreement and month recorded by the
      // scan's other workers came first: wait a little (spread, so they stop colliding) and read again.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * (attempt + 1)));
    }
  }
  return outcome; // still due: the next run goes on
}

async function record(
  db: Db,
  request: Request,
  action: RequestAction,
  provider: Department,
  now: Date,
  extra: TransactItem[],
): Promise<Request> {
  const decided = decide(request, action, {
    actor: SYSTEM_ACTOR,
    at: now.getTime(),
    calendar: calendarOf(provider),
    rights: SYSTEM_RIGHTS,
    provider,
  });
  if (!decided.ok) throw new Error(`${request.id}: ${decided.error}`);
  await saveChange(db, { before: request, ...decided.value, extra });
  return decided.value.request;
}

async function recordBreach(
  db: Db,
  request: Request,
  finding: Extract<Finding, { type: 'breach' }>,
  zone: string,
  provider: Department,
  now: Date,
  totals: LedgerTotals,
): Promise<Request> {
  const version = await versionOf(db, request.agreementId, request.agreementVersion);
  if (!version)
    throw new Error(`${request.id}: agreement ${request.agreementId} v${request.agreementVersion} is missing`);
  const month = monthOf(finding.dueAt, zone);
  const total = await totals.read(db, request.agreementId, month);
  const n = total.breaches + 1;
  const charge = {
    amount: penaltyFor(version.penalty, n, total.charged),
    unit: version.penalty.unit,
    n,
    multiplier: multiplierFor(version.penalty, n),
    month,
  };
  const entry = {
    type: 'penalty' as const,
    agreementId: request.agreementId,
    agreementVersion: request.agreementVersion,
    month,
    request: request.id,
    kind: finding.kind,
    amount: charge.amount,
    unit: charge.unit,
    at: new Date(finding.dueAt).toISOString(),
    n,
    multiplier: charge.multiplier,
    // A later cycle's breach is its own entry (its own due instant in the key) and says which cycle.
    ...(finding.kind === 'resolution' && cycleOf(request) > 1 ? { cycle: cycleOf(request) } : {}),
  };
  const written = await record(
    db,
    request,
    { type: 'breach', kind: finding.kind, charge },
    provider,
    now,
    chargeItems(db, entry, total),
  );
  totals.moved(request.agreementId, month, {
    ...total,
    breaches: n,
    charged: Math.round((total.charged + charge.amount) * 100) / 100,
  });
  return written;
}
