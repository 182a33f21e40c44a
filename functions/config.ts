/**
 * Kept's configuration: read once from the environment (and `.env` locally) and checked
 * with zod. Missing or malformed values stop start-up with every problem at once, one line
 * per variable saying how to fix it (ConfigError.message is that list). `parseStoreConfig`
 * checks only the database settings, for the `kept` commands that never talk to Slack.
 */

import { SLACK_USER_ID } from './domain/slack-ids';
import * as z from './zod';

/*
 * zod/mini, not classic zod: the same checks and messages, but a schema is a plain object rather
 * than one with dozens of methods attached, and the Slack function builds this one on every cold
 * start. Loading zod, building this schema and parsing once: ~33 ms with classic zod, ~27 ms with
 * mini beside classic zod in one bundle, as the Slack function's is (issue #22, 2026-12-06).
 */
const optional = <T extends z.core.SomeType>(s: T) => z.optional(s);
const trimmed = (params?: Parameters<typeof z.string>[0]) => z.string(params).check(z.trim());
/** A comma-separated list, each item checked by `ok`. */
const list = (ok: (item: string) => boolean, error: string) =>
  z
    .pipe(
      z._default(z.string(), ''),
      z.transform((s: string) =>
        s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      ),
    )
    .check(z.refine((ids: string[]) => ids.every(ok), { error }));
/** A whole number from `min` to `max`, given as text; `error` for every way it can be wrong but a fraction. */
const wholeNumber = (min: number, max: number, error: string, fraction = error) =>
  z.coerce.number({ error }).check(z.int({ error: fraction }), z.gte(min, error), z.lte(max, error));

const schema = z.object({
  SLACK_SIGNING_SECRET: trimmed({
    error: 'is missing; copy the Signing Secret from your Slack app\'s "Basic Information" page',
  }).check(
    z.minLength(
      8,
      'is too short to be a Slack signing secret; copy it from your Slack app\'s "Basic Information" page',
    ),
  ),
  SLACK_BOT_TOKEN: trimmed({
    error: 'is missing; copy the Bot User OAuth Token (xoxb-...) from your Slack app\'s "OAuth & Permissions" page',
  }).check(z.regex(/^xoxb-\S+$/, 'must be a bot token starting with xoxb- (from "OAuth & Permissions")')),
  SLACK_APP_TOKEN: optional(
    trimmed().check(
      z.regex(
        /^xapp-\S+$/,
        'must be an app-level token starting with xapp- (needed only for Socket Mode; leave it empty to use HTTP)',
      ),
    ),
  ),
  SLACK_API_URL: optional(
    z.pipe(
      z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://127.0.0.1:4001/api/' }),
      z.transform((u: string) => (u.endsWith('/') ? u : `${u}/`)),
    ),
  ),
  SLACK_BOT_ID: optional(
    trimmed().check(z.regex(/^B[A-Z0-9]+$/, 'must be a bot ID like B0123ABCD (or leave it empty)')),
  ),
  SLACK_BOT_USER_ID: optional(
    trimmed().check(z.regex(SLACK_USER_ID, "must be the bot's user ID like U0123ABCD (or leave it empty)")),
  ),
  /** The workspace Kept is installed in; without it, Kept asks Slack (auth.test) once per process. */
  SLACK_TEAM_ID: optional(
    trimmed().check(
      z.regex(/^T[A-Z0-9]+$/, 'must be the workspace ID like T0123ABCD (or leave it empty for Kept to ask Slack)'),
    ),
  ),
  /** Under Enterprise Grid: the organisation Kept is installed in (Slack sends it with every request). */
  SLACK_ENTERPRISE_ID: optional(
    trimmed().check(
      z.regex(/^E[A-Z0-9]+$/, 'must be the Enterprise Grid organisation ID like E0123ABCD (or leave it empty)'),
    ),
  ),
  /**
   * Other organisations whose people, in channels shared with them (Slack Connect), may file, give
   * kudos and read requests: workspace IDs, comma-separated. Empty: nobody from outside.
   */
  KEPT_EXTERNAL_TEAMS: list(
    (id) => /^T[A-Z0-9]+$/.test(id),
    'must be workspace IDs like T0123ABCD, separated by commas (or leave it empty)',
  ),
  PORT: z._default(
    wholeNumber(
      1,
      65535,
      'must be a port number between 1 and 65535',
      'must be a whole port number between 1 and 65535',
    ),
    3000,
  ),
  DYNAMODB_ENDPOINT: optional(
    z.url({
      protocol: /^https?$/,
      error:
        'must be an http(s) URL such as http://127.0.0.1:8000 (or leave it empty to start the embedded DynamoDB Local)',
    }),
  ),
  KEPT_DATABASE: z._default(
    z.enum(['local', 'aws'], {
      error:
        'must be "local" (DynamoDB Local, the default) or "aws" (the deployed table KEPT_TABLE names, with your AWS credentials)',
    }),
    'local',
  ),
  KEPT_TABLE: z._default(
    trimmed().check(
      z.regex(/^[A-Za-z0-9_.-]{3,255}$/, 'must be 3-255 letters, digits, "_", "-" or "." (a DynamoDB table name)'),
    ),
    'kept',
  ),
  KEPT_ADMINS: list(
    (id) => SLACK_USER_ID.test(id),
    'must be Slack user IDs separated by commas, like U0123ABCD,U0456EFGH',
  ),
  /**
   * Months a closed or cancelled request keeps its text (title, description, notes, comments);
   * after that the digest job replaces it with "(removed)". Counts and the ledger stay. Unset: kept.
   */
  KEPT_RETENTION_MONTHS: optional(
    wholeNumber(1, 240, 'must be a whole number of months between 1 and 240 (or leave it empty to keep text)'),
  ),
  KEPT_SCHEDULER: z._default(z.enum(['on', 'off'], { error: 'must be "on" or "off"' }), 'on'),
  KEPT_DATA_DIR: z._default(trimmed().check(z.minLength(1)), '.kept'),
  KEPT_KUDOS_DAILY_QUOTA: z._default(
    wholeNumber(1, 100, 'must be a whole number of kudos a person may give a day, 1 to 100'),
    5,
  ),
  KEPT_KUDOS_EMOJI: z._default(
    z.pipe(
      z.pipe(
        trimmed(),
        z.transform((s: string) => s.replace(/^:|:$/g, '')),
      ),
      z
        .string()
        .check(
          z.regex(
            /^[a-z0-9_+'-]{1,100}$/,
            "must be an emoji name like kudos or :tada: (lowercase letters, digits, _ + - ')",
          ),
        ),
    ),
    'kudos',
  ),
  /**
   * Where people open the web dashboard: `/sla web` links to `<KEPT_PUBLIC_URL>/web/signin?token=…`.
   * Unset: http://127.0.0.1:PORT (the local server). In AWS, the API's URL (the stack's output).
   */
  KEPT_PUBLIC_URL: optional(
    z.pipe(
      z.url({
        protocol: /^https?$/,
        error: 'must be an http(s) URL such as https://kept.example.com (or leave it empty)',
      }),
      z.transform((u: string) => u.replace(/\/+$/, '')),
    ),
  ),
  KEPT_QUEUE_URL: optional(z.url({ error: 'must be the URL of the worker SQS queue' })),
  /**
   * The web function's key for session cookies (AWS: the generated `kept/web-session-key` secret).
   * Unset (a local run): the key is derived from SLACK_SIGNING_SECRET.
   */
  KEPT_WEB_SESSION_KEY: optional(
    trimmed().check(
      z.minLength(
        32,
        'must be at least 32 characters of random text (or leave it empty to derive one from SLACK_SIGNING_SECRET)',
      ),
    ),
  ),
});

export type Config = z.infer<typeof schema>;

/** One variable's problem: `problem` says what is wrong and how to fix it. */
export interface ConfigProblem {
  variable: string;
  problem: string;
}

const WHERE = 'Set it in .env (see .env.example) or the environment.';

/**
 * Every missing or malformed setting, found in one pass. One problem reads as one line; several
 * as a first line saying how many, then one line per variable.
 */
export class ConfigError extends Error {
  readonly variables: string[];

  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      problems.length === 1
        ? `Configuration error: ${problems[0]!.variable} ${problems[0]!.problem}. ${WHERE}`
        : [
            `Configuration error: ${problems.length} settings need fixing; set them in .env (see .env.example) or the environment:`,
            ...problems.map((p) => `  ${p.variable} ${p.problem}.`),
          ].join('\n'),
    );
    this.name = 'ConfigError';
    this.variables = problems.map((p) => p.variable);
  }
}

/** Empty strings count as unset, so `.env.example` can be copied as is; only `keys` are read. */
function parseWith<S extends z.ZodMiniObject>(shape: S, env: Record<string, string | undefined>): z.infer<S> {
  const present = Object.fromEntries(
    Object.keys(shape.shape)
      .map((key) => [key, env[key]?.trim() === '' ? undefined : env[key]])
      .filter(([, value]) => value !== undefined),
  );
  const result = z.safeParse(shape, present);
  const insecure = 'SLACK_API_URL' in shape.shape ? plainHttpOutsideLocalRun(env) : undefined;
  if (result.success && !insecure) return Object.freeze(result.data) as z.infer<S>;
  // One line per variable (its first problem), in the order the full schema lists them.
  const problems = new Map<string, string>();
  for (const issue of result.success ? [] : result.error.issues) {
    const variable = String(issue.path[0] ?? 'environment');
    if (!problems.has(variable)) problems.set(variable, issue.message);
  }
  if (insecure && !problems.has('SLACK_API_URL')) problems.set('SLACK_API_URL', insecure);
  const order = Object.keys(schema.shape);
  throw new ConfigError(
    [...problems]
      .map(([variable, problem]) => ({ variable, problem }))
      .sort((a, b) => order.indexOf(a.variable) - order.indexOf(b.variable)),
  );
}

/**
 * The bot token goes with every Slack API call, so outside a local run (`npm start`, the tests, the
 * playground, where a fake Slack listens on http://127.0.0.1) SLACK_API_URL must be https. Not local:
 * a Lambda function (AWS_LAMBDA_FUNCTION_NAME is set by Lambda), or a `kept` command against the
 * deployed table (KEPT_DATABASE=aws). The problem to report, or undefined.
 */
function plainHttpOutsideLocalRun(env: Record<string, string | undefined>): string | undefined {
  const url = env.SLACK_API_URL?.trim();
  if (!url || !/^http:/i.test(url)) return undefined;
  const where = env.AWS_LAMBDA_FUNCTION_NAME?.trim()
    ? 'in AWS Lambda'
    : env.KEPT_DATABASE?.trim() === 'aws'
      ? 'with KEPT_DATABASE=aws'
      : undefined;
  return where
    ? `must be an https URL ${where}: plain http would send the bot token unencrypted (leave it empty for https://slack.com/api/; http is only for a local fake Slack)`
    : undefined;
}

/** Parses an environment: every setting, the Slack ones required (`npm start`, Lambda, `kept scan`/`digest`). */
export function parseConfig(env: Record<string, string | undefined>): Config {
  return parseWith(schema, env);
}

/**
 * The narrower schemas are built when first used: each is a copy of the full one, and a process
 * needs one of them at most (building them all cost every Slack cold start a few ms, issue #22).
 */
function once<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => (built ??= build());
}

const jobSchema = once(() => z.omit(schema, { SLACK_SIGNING_SECRET: true }));

/** What the worker and the scheduled jobs run with: every setting but the signing secret, which they never see. */
export type JobConfig = z.infer<ReturnType<typeof jobSchema>>;

/** Parses the settings of a function that never checks Slack signatures (the worker, the scan, the digest). */
export function parseJobConfig(env: Record<string, string | undefined>): JobConfig {
  return parseWith(jobSchema(), env);
}

const webSchema = once(() =>
  z.extend(
    z.pick(schema, {
      DYNAMODB_ENDPOINT: true,
      KEPT_DATABASE: true,
      KEPT_TABLE: true,
      KEPT_DATA_DIR: true,
      KEPT_ADMINS: true,
      KEPT_PUBLIC_URL: true,
      PORT: true,
    }),
    {
      KEPT_WEB_SESSION_KEY: trimmed({
        error: 'is missing; the stack passes the web session key secret (KEPT_WEB_SESSION_KEY_ARN)',
      }).check(z.minLength(32, 'must be at least 32 characters of random text')),
    },
  ),
);

/** The web function's settings: the table, the admins, its URL and its session key; nothing of Slack's. */
export type WebConfig = z.infer<ReturnType<typeof webSchema>>;

/** Parses the settings of the web function, which never sees a Slack credential. */
export function parseWebConfig(env: Record<string, string | undefined>): WebConfig {
  return parseWith(webSchema(), env);
}

const storeSchema = once(() =>
  z.pick(schema, {
    DYNAMODB_ENDPOINT: true,
    KEPT_DATABASE: true,
    KEPT_TABLE: true,
    KEPT_DATA_DIR: true,
  }),
);

/** The database settings alone: what `kept report` and `kept import` need. */
export type StoreConfig = z.infer<ReturnType<typeof storeSchema>>;

/** Parses only the database settings; Slack settings are neither needed nor read. */
export function parseStoreConfig(env: Record<string, string | undefined>): StoreConfig {
  return parseWith(storeSchema(), env);
}

const storeAndSlackClientSchema = once(() =>
  z.extend(storeSchema(), z.pick(schema, { SLACK_BOT_TOKEN: true, SLACK_API_URL: true }).shape),
);

/** The database settings and what a Web API client needs: the bot token (required here) and the API URL. */
export type StoreAndSlackClientConfig = z.infer<ReturnType<typeof storeAndSlackClientSchema>>;

/** Parses the database settings with the bot token and API URL (`kept import` reading user groups). */
export function parseStoreAndSlackClientConfig(env: Record<string, string | undefined>): StoreAndSlackClientConfig {
  return parseWith(storeAndSlackClientSchema(), env);
}

/** The web dashboard's base URL, without a trailing slash: KEPT_PUBLIC_URL, else the local server. */
export function publicUrl(config: Pick<Config, 'KEPT_PUBLIC_URL' | 'PORT'>): string {
  return config.KEPT_PUBLIC_URL ?? `http://127.0.0.1:${config.PORT}`;
}
