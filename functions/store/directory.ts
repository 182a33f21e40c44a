/**
 * The directory partition (`pk=DIRECTORY`): departments (`DEPT#<id>`), agreement records
 * (`AGREEMENT#<id>`, with the active version and any waiting proposal embedded), digest
 * settings (`DIGEST#<channel>`) and the revision counter (`REV`). One strongly consistent
 * Query reads it all; every change to departments or active agreements bumps `rev` in the same
 * transaction, so a decision checked against one read can never land on a changed directory.
 */

import {
  AGREEMENT_STATUSES,
  type AgreementVersion,
  ESCALATION_AUDIENCES,
  type EscalationStep,
  type WaitingTerms,
} from '../domain/agreement';
import type { CalendarSpec } from '../domain/calendar-spec';
import type { Department } from '../domain/department';
import type { AgreementRecord, DigestSettings, Directory } from '../domain/directory';
import { WEEKDAYS } from '../domain/weekdays';
import * as z from '../zod';
import type { Db } from './client';
import { schemaFor } from './read-back';
import { queryAll, type TransactItem } from './transact';

export const DIRECTORY_PK = 'DIRECTORY';
export const REV_SK = 'REV';
export const deptSk = (id: string) => `DEPT#${id}`;
export const agreementSk = (id: string) => `AGREEMENT#${id}`;
export const digestSk = (channel: string) => `DIGEST#${channel}`;

/** The transaction item that moves the directory from `rev` to `rev + 1`, or fails if someone else did. */
export function bumpRev(db: Db, rev: number): TransactItem {
  return {
    Update: {
      TableName: db.table,
      Key: { pk: DIRECTORY_PK, sk: REV_SK },
      UpdateExpression: 'SET rev = :next',
      ConditionExpression: rev === 0 ? 'attribute_not_exists(rev) OR rev = :rev' : 'rev = :rev',
      ExpressionAttributeValues: { ':rev': rev, ':next': rev + 1 },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Items read back

/**
 * The plain parts, built once and shared by every field below: a zod schema is an immutable value,
 * and each one built costs a Slack cold start its construction (issue #22).
 */
const string = z.string();
const number = z.number();
const optString = z.optional(string);
const optNumber = z.optional(number);
const optBoolean = z.optional(z.boolean());
const strings = z.array(string);

/** A whole number (classic zod's `z.number().int()`). */
const int = () => z.number().check(z.int());

// The calendar was checked when it was written; it is read back as it is (hours, holidays and overrides unchecked).
const CalendarSpecSchema = z.looseObject({
  timezone: string,
  hours: z.optional(z.custom<CalendarSpec['hours']>()),
  holidays: z.optional(z.custom<CalendarSpec['holidays']>()),
  overrides: z.optional(z.custom<CalendarSpec['overrides']>()),
});

const DepartmentSchema = schemaFor<Department>()(
  z.object({
    id: string,
    name: string,
    heads: strings,
    members: strings,
    usergroup: optString,
    usergroupMembers: z._default(strings, []),
    usergroupSyncedAt: optString,
    channel: string,
    calendar: CalendarSpecSchema,
    prefix: string,
    servesCustomersThrough: z.optional(strings),
  }),
);

const TargetSchema = z.object({ response: number, resolution: number });
const optTarget = z.optional(TargetSchema);
/** A ladder step as stored (agreement versions, and the copy a request keeps). */
export const EscalationStepSchema = schemaFor<EscalationStep>()(
  z.object({
    notify: z.enum(ESCALATION_AUDIENCES),
    at: optNumber,
    target: z.optional(z.enum(['response', 'resolution'])),
    unacknowledgedFor: optNumber,
  }),
);
/** Waiting rules as stored (agreement versions, and the copy a request keeps). */
export const WaitingTermsSchema = schemaFor<WaitingTerms>()(
  z.object({
    remindAfter: optNumber,
    resumeAfter: optNumber,
    closeAfter: optNumber,
    thirdPartyPausesClock: optBoolean,
  }),
);
/** An agreement's recovery credit (docs/breaches.md "Recovery credit"): share of a penalty, working ms. */
export const RecoveryCreditSchema = z.object({ share: number, within: number });

export const AgreementVersionSchema = schemaFor<AgreementVersion>()(
  z.object({
    id: string,
    version: int(),
    status: z.enum(AGREEMENT_STATUSES),
    provider: string,
    customer: string,
    service: string,
    targets: z.object({
      P1: optTarget,
      P2: optTarget,
      P3: optTarget,
      P4: optTarget,
    }),
    penalty: z.object({
      unit: string,
      perBreach: number,
      tiers: z.array(z.object({ fromBreach: number, multiplier: number })),
      monthlyCap: optNumber,
    }),
    atRisk: number,
    escalation: z.optional(z.array(EscalationStepSchema)),
    waiting: z.optional(WaitingTermsSchema),
    recoveryCredit: z.optional(RecoveryCreditSchema),
    createdAt: string,
    createdBy: string,
    activatedAt: optString,
    retiredAt: optString,
    proposedBy: optString,
    proposedFor: optString,
    decidedBy: optString,
    decidedAt: optString,
    declineReason: optString,
    replaces: z.optional(int()),
  }),
);

const AgreementRecordSchema = schemaFor<AgreementRecord>()(
  z.object({
    id: string,
    latestVersion: int(),
    active: z.optional(AgreementVersionSchema),
    pending: z.optional(AgreementVersionSchema),
  }),
);

const DigestSettingsSchema = schemaFor<DigestSettings>()(
  z.object({
    channel: string,
    weekday: z.enum(WEEKDAYS),
    time: string,
    timezone: string,
  }),
);

/** A read of the whole directory started before anyone asked for it (readDirectoryAhead), per client. */
const ahead = new WeakMap<Db, Promise<Directory>>();

/**
 * Starts reading the directory now, for the next `readDirectory` on `db` to take as its own. The
 * Slack function starts one as its cold start builds the app (slack/lambda.ts): the request that
 * caused the cold start nearly always reads the directory, and its read then runs while the app is
 * built and the request routed (issue #22). The read starts after that request arrived, so it is as
 * fresh as one made when asked; `forget()` drops it if nobody took it, so no later request is given
 * a directory read before it arrived. A failed early read fails the `readDirectory` that takes it,
 * as its own read would have (the same budget; not read twice inside Slack's 3 seconds).
 */
export function readDirectoryAhead(db: Db): { read: Promise<Directory>; forget(): void } {
  const read = readWholeDirectory(db);
  read.catch(() => {}); // whoever takes it sees the failure; nobody taking it is no failure
  ahead.set(db, read);
  return {
    read,
    forget: () => {
      if (ahead.get(db) === read) ahead.delete(db);
    },
  };
}

/** Reads the whole directory, strongly consistent, every page (or takes the read started ahead). */
export async function readDirectory(db: Db): Promise<Directory> {
  const early = ahead.get(db);
  if (early) {
    ahead.delete(db);
    return early;
  }
  return readWholeDirectory(db);
}

async function readWholeDirectory(db: Db): Promise<Directory> {
  const dir: Directory = { rev: 0, departments: [], agreements: [], digests: [] };
  const items = await queryAll(db, {
    TableName: db.table,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': DIRECTORY_PK },
    ConsistentRead: true,
  });
  for (const item of items) {
    const sk = String(item.sk);
    if (sk === REV_SK) dir.rev = Number(item.rev ?? 0);
    else if (sk.startsWith('DEPT#')) dir.departments.push(DepartmentSchema.parse(item));
    else if (sk.startsWith('AGREEMENT#')) dir.agreements.push(AgreementRecordSchema.parse(item));
    else if (sk.startsWith('DIGEST#')) dir.digests.push(DigestSettingsSchema.parse(item));
    // SEQ#<dept> (request numbers) lives here too; filing takes the next one itself (takeNumber).
  }
  return dir;
}

/** Kept's own copy of a department, as written in the directory. */
/** A department item read some other way (a batched read). */
export const readDepartmentItem = (item: unknown): Department => DepartmentSchema.parse(item);

export function departmentItem(d: Department): Record<string, unknown> {
  return { pk: DIRECTORY_PK, sk: deptSk(d.id), ...d };
}

export function agreementRecordItem(r: AgreementRecord): Record<string, unknown> {
  return { pk: DIRECTORY_PK, sk: agreementSk(r.id), ...r };
}

export function digestItem(d: DigestSettings): Record<string, unknown> {
  return { pk: DIRECTORY_PK, sk: digestSk(d.channel), ...d };
}
