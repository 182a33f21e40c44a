/** What every listener may use: configuration, the table, the worker's outbox and the clock. */
import type { Config } from '../../config';
import type { Db } from '../../store/client';
import type { Outbox } from '../../work/outbox';

export interface ListenerDeps {
  config: Config;
  db: Db;
  outbox: Outbox;
  now: () => Date;
}
