/**
 * What the view tests share: a 24x7 UTC calendar (working time is wall-clock time), IT as the
 * provider, a P1 agreement, and a request filed under it on Wednesday 25 November 2026, 14:30 UTC.
 */
import type { AgreementVersion } from '../../../../functions/domain/agreement';
import { compileCalendar } from '../../../../functions/domain/calendar';
import { HOUR_MS, MINUTE_MS } from '../../../../functions/domain/duration';
import { fileRequest, type Request } from '../../../../functions/domain/request';
import { department } from '../../../support/departments';

export const calendar = compileCalendar({ timezone: 'UTC' });
export const it_ = department('it', 'IT', ['U0HEADIT'], {
  members: ['U0ALICE', 'U0BOB'],
  calendar: { timezone: 'UTC' },
});
export const T0 = Date.UTC(2026, 10, 25, 14, 30);
export const REQUESTER = 'U0REQ';

export const agreement: AgreementVersion = {
  id: 'it-for-finance-laptops',
  version: 3,
  status: 'active',
  createdAt: '2026-11-01T10:00:00.000Z',
  createdBy: 'U0HEADIT',
  provider: 'it',
  customer: 'finance',
  service: 'Laptops and accounts',
  targets: { P1: { response: 30 * MINUTE_MS, resolution: 4 * HOUR_MS } },
  penalty: { unit: 'points', perBreach: 50, tiers: [] },
  atRisk: 0.75,
};

/** IT-42, a P1 filed at T0 by REQUESTER. */
export function file(title = 'Laptop will not boot'): Request {
  const filed = fileRequest({
    id: 'IT-42',
    number: 42,
    agreement,
    customer: 'finance',
    priority: 'P1',
    title,
    description: '',
    requester: REQUESTER,
    at: T0,
    calendar,
  });
  if (!filed.ok) throw new Error(filed.error);
  return filed.value.request;
}
