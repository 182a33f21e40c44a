/** What every listener may use: configuration, the table, the worker's outbox and the clock. */
import type { Config } from '../../config';
import type { Outbox } from '../../jobs/outbox';
import type { Db } from '../../store/client';

export interface ListenerDeps {
  config: Config;
  db: Db;
  outbox: Outbox;
  now: () => Date;
}
