/**
 * A request as someone who named it may see it (domain/privacy.ts): the request and the directory
 * read together, or undefined both for an ID that does not exist and for a request the person may
 * not see, so every surface that takes an ID answers the two alike (`noSuchRequest`).
 */
import type { Directory } from '../domain/directory';
import { maySeeRequest } from '../domain/privacy';
import type { Request } from '../domain/request';
import type { Db } from '../store/client';
import { readDirectory } from '../store/directory';
import { getRequest } from '../store/requests';

export async function visibleRequest(
  db: Db,
  id: string,
  user: string,
  admins: readonly string[],
): Promise<{ request: Request; dir: Directory } | undefined> {
  const [request, dir] = await Promise.all([getRequest(db, id), readDirectory(db)]);
  return request && maySeeRequest(request, dir, user, admins) ? { request, dir } : undefined;
}
