/**
 * The worker's side of a scan's breaches (`breaches.found`): each head of a provider or customer
 * department hears of the run's breaches in one DM (`breachBatch`), not one DM per missed target.
 * Once per run and head (a delivery key), and each breach line remembers the head as told
 * (`head:<user>` in its DMs), so a redelivered item, or the request's own announcement after the
 * grace (notify-requests.ts), tells nobody twice.
 */
import type { WebClient } from '@slack/web-api';
import type { Calendar } from '../domain/calendar';
import { type Department, isHead, isMember } from '../domain/department';
import { findDepartment } from '../domain/directory';
import type { Breach, Request } from '../domain/request';
import { clockAt, type TargetKind } from '../domain/target-clock';
import { calendarOf } from '../services/calendars';
import type { Db } from '../store/client';
import { once, WORKER_LEASE_MS } from '../store/deliveries';
import { readDirectory } from '../store/directory';
import { markDmed } from '../store/request-slack';
import { getRequestRecord } from '../store/requests';
import { postDm, REFUSED_DM_TS } from './dm';
import { type BatchedBreach, breachBatch } from './views/breaches';

export interface BreachNotifyDeps {
  db: Db;
  slack: WebClient;
  now?: () => Date;
}

/** The heads who hear of a breach: the provider's and the customer's, each once. */
export function headsOf(provider: Department, customer: Department | undefined): string[] {
  return [...new Set([...provider.heads, ...(customer?.heads ?? [])])];
}

/** What `head` is told of a breach, alone (line-messages.ts) or in a scan's batch: names and what they may do. */
export function breachForHead(
  head: string,
  at: { request: Request; kind: TargetKind; breach: Breach; lateBy: number },
  provider: Department,
  customer: Department | undefined,
): BatchedBreach {
  return {
    ...at,
    providerName: provider.name,
    customerName: customer?.name ?? at.request.customer,
    canWaive: customer !== undefined && isHead(customer, head),
    canRecover: isMember(provider, head),
  };
}

/** What a breach line remembers a head's DM under (the requester or assignee may be a head too). */
export const headMark = (user: string) => `head:${user}`;

/** What the DM of a head told of it in a batch remembers (the batch's own ts is kept by its delivery). */
const BATCHED_TS = 'batched';

/** Working ms the target was past due when the breach was recorded (>= 0). */
export function lateByOf(request: Request, kind: TargetKind, at: number, calendar: Calendar): number {
  return Math.max(
    0,
    -clockAt(calendar, request.clocks[kind], Math.max(at, request.clocks[kind].lastEventAt)).remaining,
  );
}

export async function notifyBreaches(
  deps: BreachNotifyDeps,
  item: { key: string; breaches: readonly { id: string; kind: TargetKind }[] },
): Promise<void> {
  const dir = await readDirectory(deps.db);
  const byHead = new Map<string, { items: BatchedBreach[]; lines: { id: string; seq: number }[] }>();
  for (const { id, kind } of item.breaches) {
    const record = await getRequestRecord(deps.db, id);
    const request = record?.request;
    const breach = request?.breaches?.[kind];
    const event = record?.events.filter((e) => e.type === 'breach' && e.kind === kind).at(-1);
    if (!request || !breach || !event) continue; // nothing recorded: nothing to tell
    const provider = findDepartment(dir, request.provider);
    if (!provider) continue;
    const customer = findDepartment(dir, request.customer);
    const lateBy = lateByOf(request, kind, event.at, calendarOf(provider));
    for (const head of headsOf(provider, customer)) {
      if (event.dmed[headMark(head)]) continue; // told already
      const entry = byHead.get(head) ?? { items: [], lines: [] };
      entry.items.push(breachForHead(head, { request, kind, breach, lateBy }, provider, customer));
      entry.lines.push({ id, seq: event.seq });
      byHead.set(head, entry);
    }
  }
  for (const [head, { items, lines }] of byHead) {
    const sent = await once(
      deps.db,
      `breaches:${item.key}:${head}`,
      { leaseMs: WORKER_LEASE_MS, ...(deps.now ? { now: deps.now } : {}) },
      () => postDm(deps.slack, head, breachBatch(items), item.key),
    );
    const ts = sent === 'already-done' ? BATCHED_TS : (sent?.ts ?? REFUSED_DM_TS);
    for (const line of lines) await markDmed(deps.db, line.id, line.seq, headMark(head), ts);
  }
}
