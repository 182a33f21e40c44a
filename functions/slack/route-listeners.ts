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

export function routeListenersByKind(app: App): void {
  const boltApp = app as unknown as { listeners?: Chain[] };
  if (!Array.isArray(boltApp.listeners)) throw new Error("Bolt's listeners are not where Kept expects them");
  const groups = KINDS.map((kind) => ({ kind, chains: [] as Chain[] }));
  const routed: Chain[] = [];
  let placed = false;
  for (const chain of boltApp.listeners) {
    const group = chain.length >= 2 ? groups.find((g) => g.kind.filter === chain[0]) : undefined;
    if (!group) {
      routed.push(chain);
      continue;
    }
    group.chains.push(chain.slice(1));
    if (!placed) {
      routed.push([router(groups)]);
      placed = true;
    }
  }
  boltApp.listeners = routed;
}
