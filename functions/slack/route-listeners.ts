/**
 * Bolt 5.1 runs every request through every listener's chain (about 55 of them in Kept), each
 * behind a filter such as `onlyCommands`: a `/sla help` paid for 54 chains that could never match
 * (a copy of the arguments and a promise at each step), about a quarter of its warm time. Once the
 * listeners are registered, they are put behind one router: it asks each filter's question once
 * (the same test as Bolt's filter), and runs the chains of the kinds that match exactly as Bolt
 * would (same arguments, each chain's own matchers, one error as is, several as a
 * MultipleListenerError). Chains with another first step (or added later, as tests do) stay as they
 * are. Relies on Bolt's `listeners` field (private in its types): without it the app refuses to
 * build, so every test would say so.
 */

import {
  type AnyMiddlewareArgs,
  type App,
  type Middleware,
  MultipleListenerError,
  onlyActions,
  onlyCommands,
  onlyEvents,
  onlyOptions,
  onlyShortcuts,
  onlyViewActions,
} from '@slack/bolt';

type Chain = Middleware<AnyMiddlewareArgs>[];
type Args = Parameters<Middleware<AnyMiddlewareArgs>>[0];
type Kind = { filter: Middleware<AnyMiddlewareArgs>; matches: (args: Record<string, unknown>) => boolean };

/** Bolt's filters (middleware/builtin.js) and the test each one makes. */
const KINDS: Kind[] = [
  { filter: onlyCommands, matches: (a) => 'command' in a && !!a.command },
  { filter: onlyActions, matches: (a) => 'action' in a && !!a.action },
  { filter: onlyViewActions, matches: (a) => 'view' in a },
  { filter: onlyShortcuts, matches: (a) => 'shortcut' in a && !!a.shortcut },
  { filter: onlyOptions, matches: (a) => 'options' in a && !!a.options },
  { filter: onlyEvents, matches: (a) => 'event' in a && a.event !== undefined },
];

/** Bolt's own processMiddleware (middleware/process.js), which its package does not export. */
function runChain(chain: Chain, args: Args): Promise<void> {
  const { next: _next, context, client, logger, ...initial } = args;
  const listener = chain[chain.length - 1]!;
  const steps = chain.length - 1;
  let last = -1;
  const invoke = async (index: number): Promise<void> => {
    if (last >= index) throw Error('next() called multiple times');
    if (index < steps) {
      last = index;
      return chain[index]!({ ...initial, next: () => invoke(index + 1), context, client, logger } as Args);
    }
    return listener({ ...initial, context, client, logger, next: () => {} } as Args);
  };
  return invoke(0);
}

function router(groups: { kind: Kind; chains: Chain[] }[]): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const running: Promise<void>[] = [];
    for (const { kind, chains } of groups)
      if (kind.matches(args as unknown as Record<string, unknown>))
        for (const chain of chains) running.push(runChain(chain, args));
    const settled = await Promise.allSettled(running);
    const failed = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed.length === 1) throw failed[0]!.reason;
    if (failed.length > 1) throw new MultipleListenerError(failed.map((f) => f.reason));
  };
}

interface Routing {
  groups: { kind: Kind; chains: Chain[] }[];
  placed: boolean;
}

const ROUTINGS = new WeakMap<object, Routing>();

function boltListeners(app: App): { listeners: Chain[] } {
  const boltApp = app as unknown as { listeners?: Chain[] };
  if (!Array.isArray(boltApp.listeners)) throw new Error("Bolt's listeners are not where Kept expects them");
  return boltApp as { listeners: Chain[] };
}

/** Puts `chains` behind the app's router (placed where the first of them was), the others as they are. */
function route(routing: Routing, chains: Chain[], routed: Chain[]): void {
  for (const chain of chains) {
    const group = chain.length >= 2 ? routing.groups.find((g) => g.kind.filter === chain[0]) : undefined;
    if (!group) {
      routed.push(chain);
      continue;
    }
    group.chains.push(chain.slice(1));
    if (!routing.placed) {
      routed.push([router(routing.groups)]);
      routing.placed = true;
    }
  }
}

export function routeListenersByKind(app: App): void {
  const boltApp = boltListeners(app);
  const routing: Routing = { groups: KINDS.map((kind) => ({ kind, chains: [] as Chain[] })), placed: false };
  ROUTINGS.set(app, routing);
  const routed: Chain[] = [];
  route(routing, boltApp.listeners, routed);
  boltApp.listeners = routed;
}

/**
 * Listeners registered by `register` after routeListenersByKind (a listener group loaded on first
 * use, listener-groups.ts) go behind the same router, so a request runs them exactly as if they had
 * been registered with the others.
 */
export function routeLater(app: App, register: () => void): void {
  const routing = ROUTINGS.get(app);
  if (!routing) throw new Error('routeLater needs routeListenersByKind first');
  const boltApp = boltListeners(app);
  const before = boltApp.listeners.length;
  register();
  const added = boltApp.listeners.splice(before);
  route(routing, added, boltApp.listeners);
}
