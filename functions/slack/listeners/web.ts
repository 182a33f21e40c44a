/**
 * `/sla web`: a personal one-time link to the web dashboard (docs/web.md), answered only to the
 * asker. Slack has checked who asked, so the link signs that person in: once, within 5 minutes.
 */
import { publicUrl } from '../../config';
import { issueSignInLink, SIGNIN_VALID_MS } from '../../services/signin';
import type { ListenerDeps } from './deps';
import { type Ephemeral, say } from './reply';

export async function webCommand(
  deps: ListenerDeps,
  user: string,
  args: readonly string[],
): Promise<Ephemeral & { unfurl_links: false; unfurl_media: false }> {
  const quiet = { unfurl_links: false as const, unfurl_media: false as const };
  if (args.length > 0)
    return { ...say('`/sla web` takes no more words: it answers with your personal sign-in link.'), ...quiet };
  const { url } = await issueSignInLink(deps.db, user, publicUrl(deps.config), deps.now());
  const minutes = SIGNIN_VALID_MS / 60_000;
  return {
    ...say(
      `:globe_with_meridians: <${url}|Open Kept on the web> to see your departments at a glance.\nThis link is yours alone: it signs you in once, within the next ${minutes} minutes, so please don't share it. Type \`/sla web\` again whenever you need a new one.`,
    ),
    ...quiet,
  };
}
