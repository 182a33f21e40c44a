/** Helpers for tests that run Kept as a separate process, as `npm start` does. */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { eventually, GiveUp } from './eventually';

export const ROOT = path.join(__dirname, '..', '..');

export interface Started {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Environment of a child: the machine's, minus anything Kept reads, plus `env`. */
export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(KEPT_|SLACK_|DYNAMODB_|PORT$)/.test(k)),
  );
  return { ...base, KEPT_LOG_LEVEL: 'WARN', ...env };
}

export function startNode(args: string[], env: Record<string, string>, cwd: string): Started {
  const child = spawn(process.execPath, args, { cwd, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Resolves when `predicate` holds for the output, rejects if the process exits first. */
export async function waitForOutput(
  p: Started,
  predicate: (out: string) => boolean,
  timeoutMs = 30_000,
): Promise<string> {
  return eventually(
    () => {
      const out = p.stdout();
      if (predicate(out)) return out;
      if (p.child.exitCode !== null) throw new GiveUp(`process exited (${p.child.exitCode}): ${p.stderr()}`);
      throw new Error(`timed out waiting for output; got: ${out} ${p.stderr()}`);
    },
    { timeoutMs },
  );
}

/** PIDs of DynamoDB Local JVMs started with `-port <port>`. */
export function javaPidsOnPort(port: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return argv.includes('LoopbackDynamoDBLocal') && argv[argv.indexOf('-port') + 1] === String(port);
      } catch {
        return false;
      }
    })
    .map(Number);
}

export function processGone(pid: number): boolean {
  if (!existsSync(`/proc/${pid}`)) return true;
  try {
    return /^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return true;
  }
}

/** Local addresses on which something listens on `port` (from /proc/net/tcp and tcp6). */
export function listeningAddresses(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const found: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const [addr, p] = (cols[1] ?? '').split(':');
      if (p === hexPort && cols[3] === '0A') found.push(decodeAddress(addr!));
    }
  }
  return found;
}

function decodeAddress(hex: string): string {
  if (hex.length === 8)
    return hex
      .match(/../g)!
      .reverse()
      .map((b) => parseInt(b, 16))
      .join('.');
  if (hex === '0'.repeat(32)) return '::';
  if (hex.startsWith('0000000000000000FFFF0000')) return `::ffff:${decodeAddress(hex.slice(24))}`;
  return hex;
}
