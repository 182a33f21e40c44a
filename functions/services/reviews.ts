/**
 * Joint reviews for every surface that reports on them (docs/reviews.md): the reports (`kept report`,
 * `/sla report`) and the weekly digest. One Query per agreement a department is a side of.
 */
import { EVERY_DEPARTMENT } from '../domain/agreement';
import { type Directory, findDepartment } from '../domain/directory';
import type { NamedReview } from '../domain/report-format';
import { type Review, reviewsInWindow } from '../domain/review';
import { mondayOfWeek } from '../domain/weeks';
import type { Db } from '../store/client';
import { readDirectory } from '../store/directory';
import { reviewsOf } from '../store/reviews';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The agreement as people know it: "IT · Laptops and accounts". */
function agreementName(dir: Directory, agreementId: string): string {
  const record = dir.agreements.find((a) => a.id === agreementId);
  const terms = record?.active ?? record?.pending;
  if (!terms) return agreementId;
  return `${findDepartment(dir, terms.provider)?.name ?? terms.provider} · ${terms.service}`;
}

/**
 * The reviews of the agreements any of `departments` is a side of (provider, customer, or a customer
 * breached under an agreement for every department) opened, agreed or followed up in [from, to).
 */
export async function reviewsOfDepartments(
  db: Db,
  dir: Directory,
  departments: readonly string[],
  from: number,
  to: number,
): Promise<NamedReview[]> {
  const mine = new Set(departments);
  const sides = [...dir.agreements]
    .sort((a, b) => a.id.localeCompare(b.id))
    .filter((record) => {
      const terms = record.active ?? record.pending;
      return terms && (mine.has(terms.provider) || mine.has(terms.customer) || terms.customer === EVERY_DEPARTMENT);
    });
  // One Query per agreement, all at once (a department is a side of a handful).
  const read = await Promise.all(sides.map((record) => reviewsOf(db, record.id)));
  return sides.flatMap((record, i) =>
    reviewsInWindow(read[i]!, from, to)
      .filter((r: Review) => mine.has(r.provider) || r.customers.some((c) => mine.has(c)))
      .sort((a, b) => a.openedAt - b.openedAt)
      .map((review) => ({ agreement: agreementName(dir, record.id), review })),
  );
}

/**
 * What the weekly digest of `departments` says of joint reviews in ISO `week` (Monday 00:00 UTC for
 * seven days): plain domain objects, each review with its agreement's name; `reviewLine` words it.
 */
export async function reviewsForDigest(db: Db, departments: readonly string[], week: string): Promise<NamedReview[]> {
  const monday = mondayOfWeek(week);
  if (monday === undefined) return [];
  return reviewsOfDepartments(db, await readDirectory(db), departments, monday, monday + 7 * DAY_MS);
}
