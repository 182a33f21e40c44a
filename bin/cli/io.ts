/** What a `kept` command may touch: output lines and files. Tests pass their own. */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  readFile(path: string): Promise<string>;
  env: Record<string, string | undefined>;
  /** The instant now; the machine's clock when absent (tests pass their own). */
  now?: () => Date;
}

/** Exit codes: 0 done, 1 failed while working, 2 bad input (nothing was written). */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export class UsageError extends Error {}
