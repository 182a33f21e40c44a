/**
 * Who may see a request: its text, its clocks' explanation, its conversation and its history. The
 * person who filed it; the members and heads of the department that works it, of the department it
 * was filed for, and of any department that worked it before a transfer; and the Kept admins.
 * Everyone else is told the same as for an ID that does not exist, so guessing `IT-1, IT-2, …`
 * shows nothing, not even that a request exists. Pure domain code.
 */
import { isMember } from './department';
import { type Directory, findDepartment } from './directory';
import type { Request } from './request';

export function maySeeRequest(
  request: Pick<Request, 'requester' | 'provider' | 'customer' | 'transfers'>,
  dir: Directory,
  user: string,
  admins: readonly string[],
): boolean {
  if (request.requester === user || admins.includes(user)) return true;
  const sides = [request.provider, request.customer, ...(request.transfers ?? []).map((t) => t.from)];
  return sides.some((id) => {
    const dept = findDepartment(dir, id);
    return dept !== undefined && isMember(dept, user);
  });
}

/** The one reply for an ID that does not exist and for a request the reader may not see. */
export const noSuchRequest = (id: string): string =>
  `There is no request ${id} that you can see. Check the ID on the card, or see yours with \`/sla list\`.`;
