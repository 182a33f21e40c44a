/** Departments for view and domain tests: weekday hours in New York unless told otherwise. */
import type { Department } from '../../functions/domain/department';

export const WEEK = {
  mon: '09:00-17:00',
  tue: '09:00-17:00',
  wed: '09:00-17:00',
  thu: '09:00-17:00',
  fri: '09:00-12:00,13:00-17:00',
};

export function department(id: string, name: string, heads: string[], extra: Partial<Department> = {}): Department {
  return {
    id,
    name,
    heads,
    members: [],
    usergroupMembers: [],
    channel: `C0${id.toUpperCase().replace(/-/g, '')}Q`,
    calendar: { timezone: 'America/New_York', hours: WEEK },
    prefix: id.toUpperCase().replace(/-/g, '').slice(0, 10),
    ...extra,
  };
}
