/**
 * Bolt 5.1 runs every request through every listener's chain (about 55 of them in Kept), each
 * behind a filter such as `onlyCommands`: a `/sla help` paid for 53 chains that could never match
 * (a copy of the arguments and a promise each), about a quarter of its warm time. Once the listeners
 * are registered, the chains are grouped by that filter: Bolt then sees one chain per kind, whose
 * filter runs once, and the group runs the chains it holds exactly as Bolt would (same arguments,
 * each chain's own matchers, one error as is, several as a MultipleListenerError). Chains with
 * another first step (or added later, as tests do) stay as they are. Relies on Bolt's `listeners`
 * field (private in its types): without it the app refuses to build, so every test would say so.
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

const KINDS: Middleware<AnyMiddlewareArgs>[] = [
  onlyCommands,
  onlyActions,
  onlyViewActions,
  onlyShortcuts,
  onlyOptions,
  onlyEvents,
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

function group(chains: Chain[]): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const settled = await Promise.allSettled(chains.map((chain) => runChain(chain, args)));
    const failed = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed.length === 1) throw failed[0]!.reason;
    if (failed.length > 1) throw new MultipleListenerError(failed.map((f) => f.reason));
  };
}

export function routeListenersByKind(app: App): void {
  const bolt = app as unknown as { listeners?: Chain[] };
  if (!Array.isArray(bolt.listeners)) throw new Error("Bolt's listeners are not where Kept expects them");
  const byKind = new Map<Middleware<AnyMiddlewareArgs>, Chain[]>();
  const routed: Chain[] = [];
  for (const chain of bolt.listeners) {
    const first = chain[0];
    if (chain.length < 2 || !first || !KINDS.includes(first)) {
      routed.push(chain);
      continue;
    }
    let chains = byKind.get(first);
    if (!chains) {
      chains = [];
      byKind.set(first, chains);
      routed.push([first, group(chains)]);
    }
    chains.push(chain.slice(1));
  }
  bolt.listeners = routed;
}
