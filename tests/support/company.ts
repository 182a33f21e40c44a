/** Companies imported into a table, the way `kept import` does it (without Slack): examples/company.yaml or an inline file. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { validateImport } from '../../functions/domain/import-file';
import { planImport } from '../../functions/domain/import-plan';
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

/** The people of `opsForSales()`. */
export const OPS_FOR_SALES: Readonly<Record<'opsHead' | 'opsMember' | 'salesHead' | 'salesMember', string>> = {
  opsHead: 'U0OPSHEAD1',
  opsMember: 'U0OPSMEM01',
  salesHead: 'U0SALHEAD1',
  salesMember: 'U0SALMEM01',
};

/**
 * Ops works around the clock in New York and provides Sales "Demo environments" under
 * `ops-for-sales` (P1: answer in 30m, solve in 4h), with `penalty` as the import file writes it:
 * the company the breach, report-file and worker-asset tests share.
 */
export function opsForSales(penalty: Record<string, unknown> = { unit: 'points', per_breach: 50 }) {
  const p = OPS_FOR_SALES;
  return {
    departments: [
      {
        id: 'ops',
        name: 'Operations',
        heads: [p.opsHead],
        members: [p.opsMember],
        channel: 'C0OPSQUEUE',
        prefix: 'OPS',
        calendar: { timezone: 'America/New_York' },
      },
      {
        id: 'sales',
        name: 'Sales',
        heads: [p.salesHead],
        members: [p.salesMember],
        channel: 'C0SALQUEUE',
        calendar: { timezone: 'America/New_York' },
      },
    ],
    agreements: [
      {
        id: 'ops-for-sales',
        provider: 'ops',
        customer: 'sales',
        service: 'Demo environments',
        targets: { P1: { response: '30m', resolution: '4h' } },
        penalty,
      },
    ],
  };
}
