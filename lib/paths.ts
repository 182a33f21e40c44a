import * as path from 'node:path';

/**
 * The repository root. This file sits one level below the root both as `lib/paths.ts` (jest, tsc)
 * and inside the bundled CDK app `build/cdk-app.cjs`, so `..` is right in both. Only this module
 * may use `__dirname`: files in `lib/constructs/` are two levels deep under jest but not in the bundle.
 */
export const ROOT = path.join(__dirname, '..');

/** Absolute path of a file given relative to the repository root. */
export function fromRoot(...segments: string[]): string {
  return path.join(ROOT, ...segments);
}
