/**
 * One workspace: Kept answers only the Slack workspace (and, under Enterprise Grid, the
 * organisation) it is installed in, and only its own people. Every command, click, form and event
 * is checked before anything else runs (before an event's lease is written), so a request from
 * another workspace, or from a person of another organisation in a channel shared with it (Slack
 * Connect), is refused without effect. `KEPT_EXTERNAL_TEAMS` lets named organisations in.
 * The installed workspace is `SLACK_TEAM_ID`; without it Kept asks Slack (`auth.test`) once per
 * process, the answer shared with the bot's own IDs (authorize.ts).
 */
import type { ReceiverEvent } from '@slack/bolt';
import { logger } from '../log';

/** The refusal to a guest's click goes to its response_url within this long, or not at all. */
const RESPOND_WITHIN_MS = 1_500;

export interface Home {
  team: string;
  enterprise?: string;
}

/** Where a request comes from: the workspace (and Grid organisation) it was sent for, and the acting person's own workspace. */
export interface Origin {
  kind: 'command' | 'interaction' | 'event' | 'other';
  team?: string;
  enterprise?: string;
  /** The person's own workspace, when Slack says (shared channels): `user.team_id`, `event.user_team`. */
  userTeam?: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function originOf(body: unknown): Origin {
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof b.command === 'string')
    return { kind: 'command', team: str(b.team_id), enterprise: str(b.enterprise_id), userTeam: str(b.user_team) };
  if (b.type === 'event_callback') {
    const e = (b.event ?? {}) as Record<string, unknown>;
    const profile = e.user_profile as { team?: unknown } | undefined;
    const user = e.user as { team_id?: unknown } | undefined; // user_change carries the whole user
    return {
      kind: 'event',
      team: str(b.team_id),
      enterprise: str(b.enterprise_id),
      userTeam: str(e.user_team) ?? str(profile?.team) ?? str(typeof user === 'object' ? user?.team_id : undefined),
    };
  }
  if (typeof b.type === 'string' && (b.team !== undefined || b.user !== undefined)) {
    const team = b.team as { id?: unknown } | null | undefined;
    const enterprise = b.enterprise as { id?: unknown } | null | undefined;
    const user = b.user as { team_id?: unknown } | undefined;
    return {
      kind: 'interaction',
      team: str(team?.id) ?? str(user?.team_id),
      enterprise: str(enterprise?.id),
      userTeam: str(user?.team_id),
    };
  }
  return { kind: 'other' };
}

export type Verdict = 'home' | 'other_workspace' | 'outside_person';

/** Whether a request is from the installed workspace and one of its people (or an allowed organisation's). */
export function judge(origin: Origin, home: Home, external: readonly string[]): Verdict {
  if (origin.kind === 'other') return 'home'; // url_verification, ssl_check: nothing to act on
  // Under Grid the organisation must match, and the workspace too when Slack names one.
  const sameWorkspace =
    home.enterprise !== undefined
      ? origin.enterprise === home.enterprise && (origin.team === undefined || origin.team === home.team)
      : origin.team === home.team;
  if (!sameWorkspace) return 'other_workspace';
  if (origin.userTeam && origin.userTeam !== home.team && !external.includes(origin.userTeam)) return 'outside_person';
  return 'home';
}

export const OTHER_WORKSPACE =
  'Kept is not set up for this Slack workspace, so nothing was done. Ask the person who installed Kept.';
export const NOT_CHECKED =
  'Sorry, Kept could not check this workspace with Slack just now, so nothing was done. Please try again in a moment.';
export const OUTSIDE_PERSON =
  "Kept is for the people of the organisation it is installed in, so nothing was done. You are welcome in the shared channel; ask the request's department to file or answer it for you.";

/**
 * Wraps Bolt's processEvent: a request from elsewhere is answered (a private line for a command, a
 * plain acknowledgement for anything else, which Slack shows as nothing) and goes no further.
 */
export function guardWorkspace(
  processEvent: (event: ReceiverEvent) => Promise<void>,
  home: () => Promise<Home>,
  external: readonly string[],
): (event: ReceiverEvent) => Promise<void> {
  return async (event) => {
    const origin = originOf(event.body);
    if (origin.kind === 'other') return processEvent(event);
    let installed: Home;
    try {
      installed = await home();
    } catch (err) {
      // Slack did not say which workspace Kept is in: nothing runs unchecked. An event fails, so
      // Slack sends it again; a person is asked to try again.
      logger.warn('installed workspace not known; request refused for now', { error: (err as Error).message });
      if (origin.kind === 'event') throw err;
      await event.ack(origin.kind === 'command' ? { response_type: 'ephemeral', text: NOT_CHECKED } : undefined);
      return;
    }
    const verdict = judge(origin, installed, external);
    if (verdict === 'home') return processEvent(event);
    logger.warn('Slack request from outside the installed workspace refused', {
      verdict,
      kind: origin.kind,
      team: origin.team,
      enterprise: origin.enterprise,
      userTeam: origin.userTeam,
    });
    const text = verdict === 'other_workspace' ? OTHER_WORKSPACE : OUTSIDE_PERSON;
    await event.ack(origin.kind === 'command' ? { response_type: 'ephemeral', text } : undefined);
    // A guest of a shared channel who pressed a button is told why nothing happened (to them only).
    const responseUrl = (event.body as { response_url?: unknown }).response_url;
    if (verdict === 'outside_person' && origin.kind === 'interaction' && typeof responseUrl === 'string')
      await fetch(responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }),
        signal: AbortSignal.timeout(RESPOND_WITHIN_MS),
      }).catch((err: Error) => logger.warn('refusal not delivered', { error: err.message }));
  };
}
