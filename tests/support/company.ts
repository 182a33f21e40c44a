/** Companies imported into a table, the way `kept import` does it (without Slack): examples/company.yaml or an inline file. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { planImport, validateImport } from '../../functions/domain/import-file';
import { findRoot } from '../../functions/local/dynamodb-local';
import type { Db } from '../../functions/store/client';
import { readDirectory } from '../../functions/store/directory';
import { applyImport } from '../../functions/store/import';

/** Found from the repository root, so it also works from the bundled bench (build/run). */
export const EXAMPLE_FILE = path.join(findRoot(), 'examples', 'company.yaml');

export async function importExample(db: Db, now = new Date()): Promise<void> {
  await importCompany(db, parseYaml(readFileSync(EXAMPLE_FILE, 'utf8')), now);
}

/** Any import file (as parsed YAML or a plain object) imported the way `kept import` does it (without Slack). */
export async function importCompany(db: Db, file: unknown, now: Date | string = new Date()): Promise<void> {
  const before = await readDirectory(db);
  const checked = validateImport(file, before);
  if (!checked.ok) throw new Error(`the company file does not import: ${JSON.stringify(checked.error)}`);
  await applyImport(db, planImport(checked.value, before, new Date(now).toISOString()), before);
}
