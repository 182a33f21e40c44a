/** What every listener may use: configuration, the table, the worker's outbox and the clock. */
import type { ReceiverEvent } from '@slack/bolt';
import type { Config } from '../../config';
import type { Db } from '../../store/client';
import type { Outbox } from '../../work/outbox';

export interface ListenerDeps {
  config: Config;
  db: Db;
  outbox: Outbox;
  now: () => Date;
  /**
   * Hands an interaction back to the app's listeners, past the front door's and the leases'
   * wrappers (the card's menu uses it to press the button a choice stands for).
   */
  redispatch?: (event: ReceiverEvent) => Promise<void>;
}
