/**
 * The order names are shown in (departments, services, agreements, causes, penalty units) in
 * Slack, the web pages and the reports: the order `localeCompare` gives, without building ICU's
 * collator for the plain names nearly every company uses. Building it costs 5-8 ms the first time
 * in a process, and a cold `/sla new` sorts the services it offers (issue #22).
 * Names of ASCII letters, digits and spaces are ordered as the collator orders them (spaces before
 * digits before letters, case ignored, then lowercase first); any other name goes to the collator.
 */
const PLAIN = /^[A-Za-z0-9 ]*$/;

export function compareNames(a: string, b: string): number {
  if (!PLAIN.test(a) || !PLAIN.test(b)) return a.localeCompare(b);
  const lowerA = a.toLowerCase();
  const lowerB = b.toLowerCase();
  if (lowerA !== lowerB) return lowerA < lowerB ? -1 : 1;
  // The same letters in another case: the collator puts lowercase first ('a' sorts before 'A').
  return a === b ? 0 : a < b ? 1 : -1;
}
