/**
 * `Result`: what a domain function that can refuse returns instead of throwing, either the value
 * or the reason (by default a one-line message a user can read).
 */
export type Result<T, E = string> = { ok: true; value: T } | { ok: false; error: E };
