/**
 * Kept's listeners in groups, each loaded on first use (issue #22): a group's modules do not run
 * until a request needs them (in the Slack function's split bundle, bin/split-bundle.cjs, each
 * group's code is a chunk loaded then), so a cold `/sla new` does not run the kudos, agreements
 * or review code. The table says which requests each group answers without loading it: the
 * commands, event types, action_ids (or patterns), view callback_ids and shortcuts it registers,
 * exactly as it registers them (tests/unit/slack/listener-groups.test.ts checks each group against
 * what it really registers). Before Bolt sees a request, the groups that claim it are loaded and
 * their listeners put behind the app's router (route-listeners.ts), so they run exactly as if
 * registered at start.
 */
import type { App, ReceiverEvent } from '@slack/bolt';
import { IDS } from './ids';
import type { ListenerDeps } from './listeners/deps';
import { routeLater } from './route-listeners';

/** What a group registers, as Bolt matches it: a command, an event type, an action, a view, a shortcut. */
export type Claim =
  | { command: string }
  | { event: string }
  | { action: string | RegExp | { block_id: RegExp } }
  | { view: string }
  | { shortcut: string };

type Register = (app: App, deps: ListenerDeps) => void;

export interface ListenerGroup {
  name: string;
  claims: Claim[];
  load: () => Promise<Register>;
}

const A = IDS.requestAction;
const actions = (...ids: string[]): Claim[] => ids.map((action) => ({ action }));
const views = (...ids: string[]): Claim[] => ids.map((view) => ({ view }));

export const LISTENER_GROUPS: readonly ListenerGroup[] = [
  {
    name: 'tips',
    claims: views(IDS.tipModal),
    load: async () => (await import('./listeners/tips')).registerTips,
  },
  {
    name: 'agreements',
    claims: [...actions(IDS.acceptProposal, IDS.declineProposal), ...views(IDS.declineModal, IDS.proposeModal)],
    load: async () => (await import('./listeners/agreements')).registerAgreements,
  },
  {
    name: 'request-filing',
    claims: [
      { shortcut: IDS.fileRequestShortcut },
      ...actions(IDS.fileOffered, IDS.homeNewRequest, IDS.requestServiceSelect),
      ...views(IDS.newRequestModal),
    ],
    load: async () => (await import('./listeners/requests-filing')).registerRequestFiling,
  },
  {
    name: 'request-working',
    claims: [
      ...actions(A.acknowledge, A.assignMe, A.resume, A.close, A.reopen, A.cancel, A.assign, A.pause),
      ...views(IDS.pauseModal),
      ...actions(A.resolve),
      ...views(IDS.resolveModal),
      ...actions(A.priority),
      ...views(IDS.priorityModal),
      ...actions(A.transfer),
      ...views(IDS.transferModal),
    ],
    load: async () => (await import('./listeners/requests-working')).registerRequestWork,
  },
  {
    name: 'request-more',
    claims: [...actions(A.more), ...views(IDS.cancelModal)],
    load: async () => (await import('./listeners/request-more')).registerRequestMore,
  },
  {
    name: 'request-dms',
    claims: [
      ...actions(IDS.waivePenalty),
      ...views(IDS.waiveModal),
      ...actions(A.answer),
      ...views(IDS.answerModal),
      { action: /^request_rate_[1-5]$/ },
      ...actions(A.open, A.comment),
      ...views(IDS.rateModal),
    ],
    load: async () => (await import('./listeners/requests-dms')).registerRequestDms,
  },
  {
    name: 'recovery',
    claims: [
      {
        action: new RegExp(
          `^(${IDS.recoverApologise}|${IDS.recoverExplain}|${IDS.recoverProgress}|${IDS.recoverCause})$`,
        ),
      },
      ...views(IDS.recoverModal, IDS.recoverCauseModal),
      { action: new RegExp(`^(${IDS.recoveredYes}|${IDS.recoveredNo})$`) },
    ],
    load: async () => (await import('./listeners/recovery')).registerRecovery,
  },
  {
    name: 'request-messages',
    claims: [{ event: 'message' }],
    load: async () => (await import('./listeners/request-messages')).registerRequestMessages,
  },
  {
    name: 'request-explain',
    claims: actions(A.explain),
    load: async () => (await import('./listeners/request-explain')).registerRequestExplain,
  },
  {
    name: 'gestures',
    claims: [{ action: { block_id: /^(request_file_offer|request_resolve_offer:.+)$/ } }, { event: 'reaction_added' }],
    load: async () => (await import('./listeners/gestures')).registerGestures,
  },
  {
    name: 'reviews',
    claims: [...actions(IDS.reviewAgree), ...views(IDS.reviewModal)],
    load: async () => (await import('./listeners/reviews')).registerReviews,
  },
  {
    name: 'kudos',
    claims: [
      { command: '/kudos' },
      { shortcut: IDS.giveKudosShortcut },
      ...views(IDS.kudosModal),
      { event: 'reaction_added' },
      { event: 'reaction_removed' },
    ],
    load: async () => (await import('./listeners/kudos')).registerKudos,
  },
  {
    name: 'say-thanks',
    claims: actions(IDS.sayThanks),
    load: async () => (await import('./listeners/say-thanks')).registerSayThanks,
  },
  {
    name: 'usergroups',
    claims: [{ event: 'subteam_members_changed' }, { event: 'user_change' }],
    load: async () => (await import('./listeners/usergroups')).registerUsergroupEvents,
  },
];

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const test = (m: string | RegExp, value: string | undefined): boolean =>
  value !== undefined && (typeof m === 'string' ? m === value : m.test(value));

/** Whether `claim` answers `body`, asked as Bolt's own matchers ask (App.js, middleware/builtin.js). */
export function claims(claim: Claim, body: Record<string, unknown>): boolean {
  const type = body.type;
  if ('command' in claim) return claim.command === str(body.command);
  if ('event' in claim)
    return type === 'event_callback' && claim.event === str((body.event as { type?: unknown } | undefined)?.type);
  if ('view' in claim)
    return (
      (type === 'view_submission' || type === 'view_closed') &&
      claim.view === str((body.view as { callback_id?: unknown } | undefined)?.callback_id)
    );
  if ('shortcut' in claim)
    return (type === 'shortcut' || type === 'message_action') && claim.shortcut === str(body.callback_id);
  if (type !== 'block_actions') return false;
  // Bolt matches a block action on its first action (App.js: `body.actions[0]`).
  const pressed = (body.actions as { action_id?: unknown; block_id?: unknown }[] | undefined)?.[0];
  if (!pressed) return false;
  const m = claim.action;
  if (typeof m === 'string' || m instanceof RegExp) return test(m, str(pressed.action_id));
  return test(m.block_id, str(pressed.block_id));
}

/** The groups a request's body needs (none for one no group answers: a message, a stray click). */
export function groupsFor(body: unknown, groups: readonly ListenerGroup[] = LISTENER_GROUPS): ListenerGroup[] {
  if (!body || typeof body !== 'object') return [];
  return groups.filter((g) => g.claims.some((c) => claims(c, body as Record<string, unknown>)));
}

/**
 * Wraps Bolt's processEvent: each request waits for the groups it needs, each group loaded and
 * registered once per app (concurrent requests share the one load). `app` must be routed already.
 */
export function loadListenerGroupsOnUse(
  app: App,
  deps: ListenerDeps,
  process: (event: ReceiverEvent) => Promise<void>,
  groups: readonly ListenerGroup[] = LISTENER_GROUPS,
): (event: ReceiverEvent) => Promise<void> {
  const loaded = new Map<ListenerGroup, Promise<void>>();
  const load = (group: ListenerGroup): Promise<void> => {
    let once = loaded.get(group);
    if (!once) {
      once = group.load().then((register) => routeLater(app, () => register(app, deps)));
      // A failed load (a chunk missing) is tried again by the next request, not remembered.
      once.catch(() => loaded.delete(group));
      loaded.set(group, once);
    }
    return once;
  };
  return async (event) => {
    const needed = groupsFor(event.body, groups);
    if (needed.length) await Promise.all(needed.map(load));
    return process(event);
  };
}
