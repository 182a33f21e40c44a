/**
 * Layers that only point one way (DEVELOPERS.md: "data flows one way"). Every import, export-from,
 * require() and import() in functions/, lib/ and bin/ is read with the TypeScript parser, relative
 * specifiers are resolved to files, and each edge is checked against the rules below. A second
 * check follows the value imports from the Lambda entries: the Slack function and the scheduled
 * jobs must never reach the worker's code or the chart engine (their bundles stay small).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..');
const SCANNED = ['functions', 'lib', 'bin'];
const EXTENSIONS = ['.ts', '.cjs', '.js'];

type Target = { kind: 'file'; path: string } | { kind: 'package'; name: string } | { kind: 'unresolved' };

interface Edge {
  /** Repository-relative, with forward slashes. */
  from: string;
  line: number;
  specifier: string;
  target: Target;
  /** `import type`, `export type` or `import('x').T`: erased from the bundle, still a dependency. */
  typeOnly: boolean;
}

/** Node's built-in modules, always named `node:x` here, however the source spells them. */
const BUILTINS = new Set(builtinModules.map((m) => m.replace(/^node:/, '')));

function packageOf(specifier: string): string {
  const bare = specifier.replace(/^node:/, '');
  if (specifier.startsWith('node:') || BUILTINS.has(bare) || BUILTINS.has(bare.split('/')[0]!)) return `node:${bare}`;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** `./x` from `functions/slack/app.ts`: the file it loads, as Node and esbuild would find it. */
function resolve(from: string, specifier: string, exists: (file: string) => boolean): Target {
  if (!specifier.startsWith('.')) return { kind: 'package', name: packageOf(specifier) };
  const base = path.posix.join(path.posix.dirname(from), specifier);
  const candidates = [base, ...EXTENSIONS.map((e) => base + e), ...EXTENSIONS.map((e) => `${base}/index${e}`)];
  const found = candidates.find(exists);
  return found ? { kind: 'file', path: found } : { kind: 'unresolved' };
}

function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return false; // `import './x'`: run for its effect
  if (clause.isTypeOnly) return true;
  const named = clause.namedBindings;
  return (
    !clause.name &&
    named !== undefined &&
    ts.isNamedImports(named) &&
    named.elements.length > 0 &&
    named.elements.every((e) => e.isTypeOnly)
  );
}

/** Every module `text` (the file `from`) depends on, read from its syntax tree. */
function edgesOf(from: string, text: string, exists: (file: string) => boolean): Edge[] {
  const kind = from.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const source = ts.createSourceFile(from, text, ts.ScriptTarget.Latest, true, kind);
  const edges: Edge[] = [];
  const add = (literal: ts.Node, typeOnly: boolean) => {
    if (!ts.isStringLiteralLike(literal)) return;
    edges.push({
      from,
      line: source.getLineAndCharacterOfPosition(literal.getStart()).line + 1,
      specifier: literal.text,
      target: resolve(from, literal.text, exists),
      typeOnly,
    });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) add(node.moduleSpecifier, isTypeOnlyImport(node));
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier) add(node.moduleSpecifier, node.isTypeOnly);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference))
      add(node.moduleReference.expression, node.isTypeOnly);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal, true);
    else if (ts.isCallExpression(node) && node.arguments.length === 1) {
      const callee = node.expression;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      if (isRequire || callee.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0]!, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

// ---------------------------------------------------------------------------------------------
// The rules

const under = (dir: string) => (file: string) => file.startsWith(`${dir}/`);
const inAny = (dirs: string[]) => (file: string) => dirs.some((d) => under(d)(file));

/** Packages that talk to the outside world (AWS, Slack, the network, the disk, processes). */
const IO_PACKAGE =
  /^(@aws-sdk\/|@slack\/|@aws-lambda-powertools\/|@middy\/|aws-lambda$|aws-cdk-lib$|constructs$|esbuild$)/;
const IO_BUILTINS = new Set(
  [
    'fs',
    'fs/promises',
    'http',
    'https',
    'http2',
    'net',
    'tls',
    'dgram',
    'dns',
    'dns/promises',
    'child_process',
    'cluster',
    'worker_threads',
    'readline',
    'inspector',
  ].map((m) => `node:${m}`),
);

/**
 * What lib/ (the CDK app) may import from functions/: definitions the infrastructure shares with the
 * code, so a table index or a schedule is written once. Anything else of functions/ reaches the
 * stack only as a Lambda entry path (`entry: 'functions/…/handler.ts'`), bundled by esbuild, never
 * loaded into the CDK app.
 */
const SHARED_WITH_INFRASTRUCTURE = [
  // The table's keys, indexes and TTL attribute (lib/constructs/table.ts).
  'functions/store/schema.ts',
  // How often the scan and the digest run, and the event a schedule sends (lib/constructs/jobs.ts).
  'functions/jobs/schedule.ts',
  // The namespace and names of Kept's own metrics, which the alarms watch (lib/constructs/alarms.ts).
  'functions/metric-names.ts',
  // The worker's timeout, batch, receive count and visibility (lib/constructs/worker.ts).
  'functions/work/worker-settings.ts',
];

/** zod as every layer reaches it (zod/mini with English messages, issue #22): no I/O, so the domain may use it too. */
const ZOD = 'functions/zod.ts';

/** The outbox that runs the worker's code in this process: only for entry points outside AWS. */
const IN_PROCESS_OUTBOX = 'functions/jobs/in-process-outbox.ts';

interface Rule {
  name: string;
  /** The files the rule is about. */
  applies: (file: string) => boolean;
  /** Why `edge` breaks the rule, or undefined when it does not. */
  refuses: (edge: Edge) => string | undefined;
}

const refuseFiles =
  (dirs: string[], why: string) =>
  (edge: Edge): string | undefined =>
    edge.target.kind === 'file' && inAny(dirs)(edge.target.path) ? why : undefined;

const RULES: Rule[] = [
  {
    name: 'domain is pure',
    applies: under('functions/domain'),
    refuses: (edge) => {
      const t = edge.target;
      if (t.kind === 'file' && !under('functions/domain')(t.path) && t.path !== ZOD)
        return 'the domain imports only the domain';
      if (t.kind === 'package' && (IO_PACKAGE.test(t.name) || IO_BUILTINS.has(t.name)))
        return 'the domain does no I/O (no AWS, Slack, disk or network package)';
      return undefined;
    },
  },
  {
    name: 'store is below the callers',
    applies: under('functions/store'),
    refuses: refuseFiles(
      ['functions/slack', 'functions/jobs', 'functions/services', 'functions/worker', 'functions/web'],
      'the store never imports Slack, jobs, services, the worker or the web',
    ),
  },
  {
    name: 'Slack never imports jobs',
    applies: under('functions/slack'),
    refuses: refuseFiles(
      ['functions/jobs', 'functions/worker', 'functions/local'],
      'the Slack layer never imports the jobs, the worker or the local runner; it is given an Outbox (functions/work/outbox.ts)',
    ),
  },
  {
    name: 'the web dashboard stands on the domain, the store and the services',
    applies: under('functions/web'),
    refuses: refuseFiles(
      [
        'functions/slack',
        'functions/jobs',
        'functions/worker',
        'functions/local',
        'functions/work',
        'functions/charts',
      ],
      'the web imports only the domain, the store and the services (and the shared config and log)',
    ),
  },
  {
    name: 'Slack and the jobs never import the web',
    applies: (file) =>
      inAny([
        'functions/slack',
        'functions/jobs',
        'functions/worker',
        'functions/services',
        'functions/work',
        'functions/domain',
      ])(file),
    refuses: refuseFiles(
      ['functions/web'],
      'the web dashboard has its own Lambda entry (functions/web/handler.ts); only the local runner serves both',
    ),
  },
  {
    name: 'services know no Slack',
    applies: under('functions/services'),
    refuses: refuseFiles(
      ['functions/slack', 'functions/jobs', 'functions/worker'],
      'the services are Slack-agnostic and below the jobs',
    ),
  },
  {
    name: 'the work contract is neutral',
    applies: under('functions/work'),
    refuses: refuseFiles(
      ['functions/slack', 'functions/jobs', 'functions/worker', 'functions/services', 'functions/local'],
      'the work contract is imported by both sides and imports neither',
    ),
  },
  {
    name: 'the in-process outbox is built by entry points outside AWS',
    applies: (file) => under('functions')(file) && !under('functions/local')(file),
    refuses: (edge) =>
      edge.target.kind === 'file' && edge.target.path === IN_PROCESS_OUTBOX && edge.from !== IN_PROCESS_OUTBOX
        ? 'only functions/local/ and bin/ (and tests) build the in-process outbox; the rest is given an Outbox'
        : undefined,
  },
  {
    name: 'the code never imports the tooling',
    applies: under('functions'),
    refuses: refuseFiles(['lib', 'bin', 'tests', 'bench'], 'functions/ never imports lib/, bin/, tests/ or bench/'),
  },
  {
    name: 'the infrastructure loads no application code',
    applies: under('lib'),
    refuses: (edge) =>
      edge.target.kind === 'file' &&
      under('functions')(edge.target.path) &&
      !SHARED_WITH_INFRASTRUCTURE.includes(edge.target.path)
        ? `lib/ imports from functions/ only ${SHARED_WITH_INFRASTRUCTURE.join(' and ')}; code reaches the stack as a Lambda entry path`
        : undefined,
  },
  {
    name: 'definitions shared with the infrastructure stand alone',
    applies: (file) => SHARED_WITH_INFRASTRUCTURE.includes(file),
    refuses: (edge) =>
      edge.target.kind === 'file'
        ? 'a module lib/ imports imports no other file, so the CDK app loads nothing else'
        : undefined,
  },
];

function violations(edges: Edge[], rules: Rule[] = RULES): string[] {
  const found: string[] = [];
  for (const edge of edges)
    for (const rule of rules) {
      if (!rule.applies(edge.from)) continue;
      const why = rule.refuses(edge);
      if (why) {
        const to = edge.target.kind === 'file' ? edge.target.path : edge.specifier;
        found.push(`${edge.from}:${edge.line} imports '${edge.specifier}' (${to}): rule "${rule.name}": ${why}`);
      }
    }
  return found;
}

/** The files a bundle of `entry` holds: value imports only (esbuild erases the type-only ones). */
function reachable(entry: string, edges: Edge[]): Map<string, string[]> {
  const out = new Map<string, Edge[]>();
  for (const e of edges) if (!e.typeOnly && e.target.kind === 'file') out.set(e.from, [...(out.get(e.from) ?? []), e]);
  const via = new Map<string, string[]>([[entry, [entry]]]);
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const e of out.get(file) ?? []) {
      const to = (e.target as { path: string }).path;
      if (via.has(to)) continue;
      via.set(to, [...via.get(file)!, to]);
      queue.push(to);
    }
  }
  return via;
}

/**
 * What a Lambda entry must never reach: the worker's dispatcher and the chart engine stay in the
 * worker; Powertools Metrics stays out of the Slack function (it writes its few counts itself).
 */
const KEPT_OUT_OF_ENTRY: Record<string, string[]> = {
  'functions/slack/handler.ts': [
    'functions/jobs',
    'functions/worker',
    'functions/charts',
    'functions/local',
    'functions/lambda-metrics.ts',
  ],
  'functions/scan/handler.ts': [
    'functions/jobs/work.ts',
    IN_PROCESS_OUTBOX,
    'functions/worker',
    'functions/charts',
    'functions/local',
  ],
  'functions/digest/handler.ts': [
    'functions/jobs/work.ts',
    IN_PROCESS_OUTBOX,
    'functions/worker',
    'functions/charts',
    'functions/local',
  ],
  // The local runner, the playground and the Slack stand-in are never part of the AWS stack.
  'functions/worker/handler.ts': ['functions/local'],
};

function reachViolations(edges: Edge[]): string[] {
  const found: string[] = [];
  for (const [entry, banned] of Object.entries(KEPT_OUT_OF_ENTRY))
    for (const [file, chain] of reachable(entry, edges))
      if (banned.some((b) => file === b || under(b)(file)))
        found.push(`${entry} reaches ${file} (${chain.join(' -> ')}): its bundle must not hold ${banned.join(', ')}`);
  return found;
}

// ---------------------------------------------------------------------------------------------
// The repository

function filesUnder(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const rel = `${dir}/${name}`;
    if (statSync(path.join(ROOT, rel)).isDirectory()) return filesUnder(rel);
    return EXTENSIONS.some((e) => name.endsWith(e)) && !name.endsWith('.d.ts') ? [rel] : [];
  });
}

const existsInRepo = (file: string) => {
  try {
    return statSync(path.join(ROOT, file)).isFile();
  } catch {
    return false;
  }
};

const files = SCANNED.flatMap(filesUnder);
const edges = files.flatMap((file) => edgesOf(file, readFileSync(path.join(ROOT, file), 'utf8'), existsInRepo));

describe('import direction', () => {
  it('reads the whole code base: every layer has files, every relative import resolves', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(edges.length).toBeGreaterThan(500);
    for (const rule of RULES) expect([rule.name, files.filter(rule.applies).length > 0]).toEqual([rule.name, true]);
    for (const entry of Object.keys(KEPT_OUT_OF_ENTRY)) expect(files).toContain(entry);
    expect(files).toEqual(expect.arrayContaining([...SHARED_WITH_INFRASTRUCTURE, IN_PROCESS_OUTBOX]));
    expect(
      edges.filter((e) => e.target.kind === 'unresolved').map((e) => `${e.from}:${e.line} ${e.specifier}`),
    ).toEqual([]);
  });

  it('no import crosses the layers the wrong way', () => {
    expect(violations(edges)).toEqual([]);
  });

  it('the Slack function and the scheduled jobs never reach the worker or the chart engine', () => {
    // The Slack entry does reach its own layer and the work contract, so the walk is not empty.
    expect([...reachable('functions/slack/handler.ts', edges).keys()]).toEqual(
      expect.arrayContaining(['functions/slack/app.ts', 'functions/work/outbox.ts', 'functions/services/requests.ts']),
    );
    expect(reachViolations(edges)).toEqual([]);
  });
});

describe('the checker itself', () => {
  // Sources that break the rules, as they would sit in the tree; the real files stand in for targets.
  const planted: Record<string, string> = {
    'functions/slack/planted.ts': [
      "import { performWork } from '../jobs/work';",
      "import type { Outbox } from '../work/outbox';",
      'export async function later() {',
      "  const { outboxFromConfig } = await import('../jobs/in-process-outbox');",
      '  return outboxFromConfig;',
      '}',
    ].join('\n'),
    'functions/domain/planted.ts': [
      "import { readFileSync } from 'fs';",
      "export type { Db } from '../store/client';",
      "const sqs = require('@aws-sdk/client-sqs');",
      "export const zone: import('luxon').Zone | undefined = undefined;",
    ].join('\n'),
    'functions/store/planted.ts': "import { calendarOf } from '../services/calendars';",
    'lib/planted.ts': "import { createSlackApp } from '../functions/slack/app';",
  };
  const exists = (file: string) => file in planted || existsInRepo(file);
  const plantedEdges = Object.entries(planted).flatMap(([file, text]) => edgesOf(file, text, exists));
  const found = violations(plantedEdges);

  it('finds imports, export-from, require(), import() and import types, resolved to files or packages', () => {
    expect(plantedEdges.map((e) => [e.from, e.line, e.target, e.typeOnly])).toEqual([
      ['functions/slack/planted.ts', 1, { kind: 'file', path: 'functions/jobs/work.ts' }, false],
      ['functions/slack/planted.ts', 2, { kind: 'file', path: 'functions/work/outbox.ts' }, true],
      ['functions/slack/planted.ts', 4, { kind: 'file', path: IN_PROCESS_OUTBOX }, false],
      ['functions/domain/planted.ts', 1, { kind: 'package', name: 'node:fs' }, false],
      ['functions/domain/planted.ts', 2, { kind: 'file', path: 'functions/store/client.ts' }, true],
      ['functions/domain/planted.ts', 3, { kind: 'package', name: '@aws-sdk/client-sqs' }, false],
      ['functions/domain/planted.ts', 4, { kind: 'package', name: 'luxon' }, true],
      ['functions/store/planted.ts', 1, { kind: 'file', path: 'functions/services/calendars.ts' }, false],
      ['lib/planted.ts', 1, { kind: 'file', path: 'functions/slack/app.ts' }, false],
    ]);
  });

  it('names the file, the import and the rule of each wrong-way import, and lets the right-way ones pass', () => {
    expect(found).toEqual([
      expect.stringMatching(
        /^functions\/slack\/planted\.ts:1 imports '\.\.\/jobs\/work' .*rule "Slack never imports jobs"/,
      ),
      expect.stringMatching(/^functions\/slack\/planted\.ts:4 .*rule "Slack never imports jobs"/),
      expect.stringMatching(/^functions\/slack\/planted\.ts:4 .*rule "the in-process outbox is built by entry points/),
      expect.stringMatching(/^functions\/domain\/planted\.ts:1 imports 'fs' \(fs\): rule "domain is pure"/),
      expect.stringMatching(/^functions\/domain\/planted\.ts:2 .*rule "domain is pure"/),
      expect.stringMatching(/^functions\/domain\/planted\.ts:3 imports '@aws-sdk\/client-sqs'.*rule "domain is pure"/),
      expect.stringMatching(/^functions\/store\/planted\.ts:1 .*rule "store is below the callers"/),
      expect.stringMatching(/^lib\/planted\.ts:1 .*rule "the infrastructure loads no application code"/),
    ]);
  });

  it('follows value imports from an entry to what its bundle would hold', () => {
    const entry = 'functions/slack/handler.ts';
    const withPlant = [...edges, ...plantedEdges, ...edgesOf(entry, "import './planted';", exists)];
    expect(reachViolations(withPlant)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^functions\/slack\/handler\.ts reaches functions\/charts\/render\.ts \(functions\/slack\/handler\.ts -> functions\/slack\/planted\.ts -> functions\/jobs\/work\.ts -> /,
        ),
      ]),
    );
  });
});
