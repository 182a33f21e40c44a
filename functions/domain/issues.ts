/**
 * Problems found in written input, one line each with the path of the value:
 * `agreements[0].targets.P2.resolution: "16x" is not a duration; use forms like 30m, 4h, 1h30m`.
 * The YAML import prints these lines; the Slack modal maps the same paths to its blocks.
 */
import type * as z from '../zod';

export interface Issue {
  /** Where in the written input, e.g. ['agreements', 0, 'targets', 'P2', 'resolution']. */
  path: readonly PropertyKey[];
  message: string;
}

/** `['agreements', 0, 'targets']` -> `agreements[0].targets`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (String(part) !== '') out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

export function issuesOf(error: z.core.$ZodError, root: readonly PropertyKey[] = []): Issue[] {
  return error.issues.map((issue) => ({ path: [...root, ...issue.path], message: issue.message }));
}

export function issueLine(issue: Issue): string {
  const path = formatPath(issue.path);
  return path === '' ? issue.message : `${path}: ${issue.message}`;
}

/** Shows a value in a message: quoted text, cut at 40 characters. */
export function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === undefined) return 'nothing';
  if (typeof value === 'number') return String(value);
  try {
    const text = JSON.stringify(value);
    return text.length > 40 ? `${text.slice(0, 40)}…` : text;
  } catch {
    return String(value);
  }
}
