/**
 * Reading audit lines (store/audit.ts) for people: which fields a change touched, from the JSON
 * text of its before and after. Pure.
 */
import { sameValue } from './same-value';

function parsed(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined; // cut short: no field list
  }
}

/** Fields that audit lines change with every write; they say nothing about the change itself. */
const BOOKKEEPING = new Set(['updatedAt', 'updatedBy']);

/**
 * The top-level fields whose value differs between before and after, in the after's order (then
 * the fields that went away). Empty when either side is missing or was cut short.
 */
export function changedFields(before: string | undefined, after: string | undefined): string[] {
  const a = parsed(before);
  const b = parsed(after);
  if (!a || !b) return [];
  const keys = [...Object.keys(b), ...Object.keys(a).filter((k) => !(k in b))];
  return keys.filter((k) => !BOOKKEEPING.has(k) && !sameValue(a[k], b[k]));
}
