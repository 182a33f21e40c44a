/**
 * The keys of the request aggregate, for requests.ts (the request and its history), request-slack.ts
 * (card, lease) and checks.ts (the scan's index on the request item).
 *
 *   pk `REQ#<id>`    sk `REQ` (the request), `EVENT#<000001>` (history lines), `CARD`, `DM`, `LOCK`
 *   pk `THREAD#<channel>#<ts>` sk `THREAD` (a card or requester DM of Kept's: which request it is about)
 *   pk `DIRECTORY`   sk `SEQ#<dept>` (the department's last request number)
 *   gsi2 `USER#<requester>`  -> `<created ISO>#<id>` (my requests, newest first)
 *   gsi3 `QUEUE#<provider>`  -> `D<due ISO>#<id>` / `W<filed ISO>#<id>` (only while the request is worked)
 */
import type { Request } from '../domain/request';

export const requestPk = (id: string) => `REQ#${id}`;
export const REQUEST_SK = 'REQ';
export const CARD_SK = 'CARD';
export const LOCK_SK = 'LOCK';
/** The requester's DM thread about the request: where the provider's replies are relayed. */
export const DM_SK = 'DM';
/** The pointer from a Kept message (card or requester DM) to its request: one GetItem per thread reply. */
export const threadPk = (channel: string, ts: string) => `THREAD#${channel}#${ts}`;
export const THREAD_SK = 'THREAD';
export const eventSk = (seq: number) => `EVENT#${String(seq).padStart(6, '0')}`;
/** In the directory partition, so the read that finds the agreement also finds the next number. */
export const sequenceSk = (department: string) => `SEQ#${department}`;

/** gsi2: the requests of a requester, newest first. */
export const requesterPk = (user: string) => `USER#${user}`;
export const requesterSk = (r: Pick<Request, 'id' | 'createdAt'>) => `${new Date(r.createdAt).toISOString()}#${r.id}`;

/** gsi3: the requests a department is still working on. */
export const queuePk = (department: string) => `QUEUE#${department}`;

/**
 * Where a live request sorts in its department's queue: by the due instant of its running target
 * that is due first (already overdue ones first of all), then requests with no clock running
 * (waiting on the requester) by filing time. A capped read of the queue so gets the most urgent.
 */
export function queueSk(r: Request): string {
  const dues = [r.clocks.response, r.clocks.resolution].flatMap((c) =>
    c.state === 'running' && c.dueAt !== null ? [c.dueAt] : [],
  );
  const due =
    dues.length > 0 ? `D${new Date(Math.min(...dues)).toISOString()}` : `W${new Date(r.createdAt).toISOString()}`;
  return `${due}#${r.id}`;
}
