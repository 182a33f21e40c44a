/**
 * `kept erase --user U…`: removes what one person wrote (request titles and descriptions they
 * filed, their notes and replies, resolution notes and causes, rating comments, transfer and waiver
 * reasons, kudos messages), each replaced with "(removed)", and prints what changed. Counts,
 * breaches, ratings' scores and the penalty ledger stay exact. Run again, it finds nothing left.
 * With Slack settings, the cards of the changed requests are drawn again, so their titles go too.
 */
import { parseArgs } from 'node:util';
import { ConfigError, parseConfig, parseStoreConfig } from '../../functions/config';
import { SLACK_USER_ID } from '../../functions/domain/department';
import { addErased, describeErased, type Erased, NOTHING_ERASED } from '../../functions/domain/erase';
import { outboxFromConfig } from '../../functions/jobs/in-process-outbox';
import { eraseKudosBy, eraseRequest, requestsTouchedBy } from '../../functions/store/erase';
import { withDb } from './db';
import { type CliIO, EXIT } from './io';

const USAGE = 'usage: kept erase --user U0123ABCD';

export async function erase(args: string[], io: CliIO): Promise<number> {
  let user: string;
  try {
    const { values } = parseArgs({
      args,
      options: { user: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    });
    if (!values.user) throw new Error('--user is required');
    user = values.user.trim();
    if (!SLACK_USER_ID.test(user)) throw new Error(`--user "${user}" is not a Slack user ID like U0123ABCD`);
  } catch (err) {
    io.err(`kept erase: ${(err as Error).message.split('\n')[0]}; ${USAGE}`);
    return EXIT.usage;
  }
  const store = parseStoreConfig(io.env);
  let slack: ReturnType<typeof parseConfig> | undefined;
  try {
    slack = parseConfig(io.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
  }
  const { erased, kudos, changed } = await withDb(store, async (db) => {
    let erased: Erased = NOTHING_ERASED;
    const changed: string[] = [];
    for (const id of await requestsTouchedBy(db, user)) {
      const one = await eraseRequest(db, id, { user });
      if (one !== NOTHING_ERASED) changed.push(id);
      erased = addErased(erased, one);
    }
    const kudos = await eraseKudosBy(db, user);
    if (slack && changed.length > 0) {
      // The cards show titles: draw them again (the worker, in this process or through the queue).
      const outbox = outboxFromConfig(slack, db);
      for (const id of changed) await outbox.send({ type: 'request.changed', id });
      await outbox.idle();
    }
    return { erased, kudos, changed };
  });
  io.out(describeErased(user, erased, kudos));
  if (changed.length > 0)
    io.out(
      slack
        ? `Requests changed: ${changed.join(', ')}; their cards in Slack were drawn again.`
        : `Requests changed: ${changed.join(', ')}. Without Slack settings their cards keep the old text until they next change; run this with SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET set to redraw them.`,
    );
  return EXIT.ok;
}
