/**
 * The grants of lib/access.ts hold what the code does: each Lambda's code imports exactly the store
 * functions its role is granted for, and each store function sends exactly the actions, in exactly
 * the partitions, that lib/access.ts lists for it (read from its source, helpers included). A store
 * call added to a Lambda, or a new key or action in a store function, fails here until the grant
 * is looked at again: a missing grant would only show in AWS, as AccessDenied.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  FUNCTION_STORE_CALLS,
  type FunctionName,
  type Partition,
  STORE_ACCESS,
  type StoreCall,
} from '../../lib/access';

const root = path.join(__dirname, '..', '..');
const STORE = 'functions/store/';

/**
 * Where each Lambda's own code starts. The scan and digest Lambdas share functions/jobs/lambda.ts and
 * its dispatcher functions/jobs/scheduled.ts, which runs only the job its schedule's input names
 * (runScan, or runDigest, refreshStaleUsergroups, the retention and the weekly reports), so the
 * dispatcher is not followed.
 */
const DISPATCHER = 'functions/jobs/scheduled.ts';
/** Modules a Lambda's bundle holds but whose database calls it never runs. */
const NOT_RUN: Partial<Record<FunctionName, string[]>> = {
  // functions/jobs/lambda.ts takes only digestSlackClient (a Slack client) from the digest's module.
  Scan: ['functions/jobs/digest.ts'],
};
const ENTRIES: Record<FunctionName, string[]> = {
  Slack: ['functions/slack/handler.ts'],
  Web: ['functions/web/handler.ts'],
  Worker: ['functions/worker/handler.ts'],
  Scan: ['functions/jobs/scan.ts', 'functions/jobs/lambda.ts'],
  Digest: [
    'functions/jobs/digest.ts',
    'functions/jobs/usergroups.ts',
    'functions/jobs/retention.ts',
    'functions/jobs/weekly-reports.ts',
    'functions/jobs/statements.ts',
    'functions/jobs/reviews.ts',
    'functions/jobs/lambda.ts',
  ],
};

/** Imports from functions/store that send nothing to DynamoDB: constants, errors, types' helpers, key builders, the client. */
const NO_DATABASE_CALL = new Set([
  'client.dbFromConfig',
  'checks.ANNOUNCE_GRACE_MS',
  'checks.checkKeys',
  'deliveries.InProgressError',
  'deliveries.SLACK_LEASE_MS',
  'deliveries.WORKER_LEASE_MS',
  'digests.DIGEST_LEASE_MS',
  'retention.monthOfUtc',
  'table.tableAnswers', // /healthz of the local HTTP server only
  'tips.TipExistsError',
  'transact.WriteConflictError',
  'transact.backoffMs',
]);

/** Imported by a module in a Lambda's bundle, but not called on that Lambda's paths. */
const IMPORTED_NOT_CALLED: Partial<Record<FunctionName, Record<string, string>>> = {
  // functions/services/signin.ts holds both halves of a sign-in link: Slack makes it, the web uses it.
  Slack: { 'signin.useSignIn': 'only the web function (functions/web/app.ts) redeems a sign-in link' },
  Web: { 'signin.saveSignIn': 'only the Slack function (`/sla web`) makes a sign-in link' },
  Digest: {
    'departments.cacheUsergroupMembers':
      'functions/jobs/usergroups.ts takes only USERGROUP_MAX_AGE_MS from functions/slack/usergroups.ts; the worker caches members',
  },
};

const IMPORT = /(import|export)\s+(type\s+)?(\{[^}]*\}|\*\s+as\s+\w+|\w+)?\s*(from\s+)?['"](\.[^'"]+)['"]/g;
/** `import('./x')`: a module loaded on first use (the Slack function's listener groups) is still in its bundle. */
const DYNAMIC_IMPORT = /\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/g;

function resolve(from: string, spec: string): string | undefined {
  const base = path.join(path.dirname(from), spec);
  return [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(path.join(root, f)));
}

/** Every module reached by value imports from `entries`, relative to the repository root. */
function closure(entries: string[], skip: string[] = []): Set<string> {
  const seen = new Set<string>([DISPATCHER, ...skip]);
  const todo = [...entries];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      if (m[2]) continue; // import type
      const target = resolve(file, m[5]!);
      if (target) todo.push(target);
    }
    for (const m of text.matchAll(DYNAMIC_IMPORT)) {
      const target = resolve(file, m[1]!);
      if (target) todo.push(target);
    }
  }
  for (const file of [DISPATCHER, ...skip]) seen.delete(file);
  return seen;
}

/** `module.name` of every store export that code outside functions/store in `files` imports as a value. */
function storeImports(files: Set<string>): Set<string> {
  const found = new Set<string>();
  for (const file of files) {
    if (file.startsWith(STORE)) continue;
    for (const m of fs.readFileSync(path.join(root, file), 'utf8').matchAll(IMPORT)) {
      if (m[2] || !m[3]?.startsWith('{')) continue;
      const target = resolve(file, m[5]!);
      if (!target?.startsWith(STORE)) continue;
      const module = path.basename(target, '.ts');
      for (const part of m[3].slice(1, -1).split(',')) {
        const name = part.trim();
        if (name && !name.startsWith('type ')) found.add(`${module}.${name.split(/\s+as\s+/)[0]}`);
      }
    }
  }
  return found;
}

describe('each Lambda is granted for the store functions its code calls', () => {
  it('the scheduled dispatcher runs the scan for the scan job and the digest with the user groups otherwise', () => {
    const src = fs.readFileSync(path.join(root, DISPATCHER), 'utf8');
    expect(src).toMatch(/event\.job === 'scan'\s*\?\s*describeScan\(await runScan\(/);
    expect(src.match(/await run(Scan|Digest)\(/g)).toEqual(['await runScan(', 'await runDigest(']);
    const lambda = fs.readFileSync(path.join(root, 'functions/jobs/lambda.ts'), 'utf8');
    expect(lambda.match(/import \{([^}]*)\} from '\.\/digest'/)?.[1]?.trim()).toBe('digestSlackClient');
  });

  it.each(Object.keys(ENTRIES) as FunctionName[])('%s', (fn) => {
    const imported = storeImports(closure(ENTRIES[fn], NOT_RUN[fn]));
    const granted = new Set<string>(FUNCTION_STORE_CALLS[fn]);
    const notCalled = IMPORTED_NOT_CALLED[fn] ?? {};
    const ungranted = [...imported].filter((c) => !granted.has(c) && !NO_DATABASE_CALL.has(c) && !(c in notCalled));
    expect(ungranted).toEqual([]);
    // ...and nothing is granted that the code no longer calls.
    expect([...granted].filter((c) => !imported.has(c))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Each store function's actions and partitions, from its source

const KEY_BUILDERS: Record<string, Partition> = {
  DIRECTORY_PK: 'directory',
  TIPS_PK: 'tips',
  requestPk: 'request',
  threadPk: 'thread',
  deliveryPk: 'delivery',
  agreementPk: 'agreement',
  ledgerPk: 'ledger',
  statsPk: 'stats',
  digestPk: 'digest',
  weekPk: 'kudosWeek',
  personPk: 'kudosPerson',
  reactionPk: 'kudosReaction',
  auditPk: 'audit',
  retentionPk: 'retain',
  CURSOR: 'retainCursor',
  signinPk: 'signin',
  SUBSCRIPTION_PK: 'subscription',
  subscriptionWeekPk: 'subscriptionWeek',
  statementPk: 'statement',
  metricPk: 'metric',
  reviewPk: 'review',
  REVIEW_DUE_PK: 'reviewDue',
};
const COMMANDS: Record<string, string> = {
  'new GetCommand': 'GetItem',
  'new BatchGetCommand': 'BatchGetItem',
  'new PutCommand': 'PutItem',
  'new UpdateCommand': 'UpdateItem',
  'new DeleteCommand': 'DeleteItem',
  'Put: {': 'PutItem',
  'Update: {': 'UpdateItem',
  'Delete: {': 'DeleteItem',
  'ConditionCheck: {': 'ConditionCheckItem',
  'new BatchWriteCommand': 'BatchWriteItem',
  'new ScanCommand': 'Scan',
};

/** Top-level functions and consts of every store module but transact.ts (the shared plumbing), by name. */
function storeBodies(): Map<string, { module: string; body: string }> {
  const bodies = new Map<string, { module: string; body: string }>();
  for (const file of fs.readdirSync(path.join(root, STORE))) {
    const module = path.basename(file, '.ts');
    if (module === 'transact') continue;
    const src = fs.readFileSync(path.join(root, STORE, file), 'utf8');
    for (const part of src.split(/\n(?=(?:export )?(?:async )?(?:function\*?|const|class) )/)) {
      const name = part.match(/^(?:export )?(?:async )?(?:function\*?|const|class) (\w+)/)?.[1];
      if (name) bodies.set(`${module}.${name}`, { module, body: part });
    }
  }
  return bodies;
}

/** What `call` sends, read from its source and that of the store functions it calls. */
function detected(call: string, bodies: ReturnType<typeof storeBodies>) {
  const actions = new Set<string>();
  const partitions = new Set<string>();
  const indexes = new Set<string>();
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const { module, body } = bodies.get(key)!;
    for (const [token, action] of Object.entries(COMMANDS)) if (body.includes(token)) actions.add(action);
    for (const m of body.matchAll(/KeyConditionExpression:\s*(?:\w+\s*\?\s*)?'(pk|gsi(\d)pk)\b/g)) {
      if (m[2]) indexes.add(`gsi${m[2]}`);
      else actions.add('Query');
    }
    for (const [builder, partition] of Object.entries(KEY_BUILDERS))
      if (new RegExp(`\\b${builder}\\b`).test(body)) partitions.add(partition);
    // Helpers it calls: in its own module, or imported from another store module.
    for (const m of body.matchAll(/\b(\w+)\(/g)) {
      const name = m[1]!;
      const own = `${module}.${name}`;
      if (own !== key && bodies.has(own)) visit(own);
      else
        for (const other of bodies.keys())
          if (other.endsWith(`.${name}`) && other !== key && /^[a-z]/.test(name)) visit(other);
    }
  };
  visit(call);
  return { actions, partitions, indexes };
}

describe('each store function sends what lib/access.ts says, in the partitions it says', () => {
  const bodies = storeBodies();
  it.each(Object.keys(STORE_ACCESS) as StoreCall[])('%s', (call) => {
    expect(bodies.has(call)).toBe(true);
    const found = detected(call, bodies);
    const access: { table?: Record<string, readonly string[]>; indexes?: readonly string[] } = STORE_ACCESS[call];
    const table = access.table ?? {};
    expect([...found.actions].sort()).toEqual(Object.keys(table).sort());
    // A key built only for an item the function does not write (a counter's partition is its own) would
    // show here as an extra partition: every partition named in the code must be declared, and no more.
    expect([...found.partitions].sort()).toEqual([...new Set(Object.values(table).flat())].sort());
    expect([...found.indexes].sort()).toEqual([...(access.indexes ?? [])].sort());
  });
});
