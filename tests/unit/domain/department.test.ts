import fc from 'fast-check';
import {
  type Department,
  isChannelId,
  isHead,
  isMember,
  isUsergroupId,
  isUserId,
} from '../../../functions/domain/department';
import {
  DepartmentSpec,
  defaultPrefix,
  departmentFromSpec,
  isDepartmentId,
  specOfDepartment,
} from '../../../functions/domain/department-spec';
import { type Directory, departmentsHeadedBy, departmentsOf } from '../../../functions/domain/directory';

const PEOPLE_OPS: DepartmentSpec = {
  id: 'people-ops',
  name: 'People Operations',
  heads: ['U0HRHEAD1'],
  members: ['U0HRMEM01'],
  usergroup: 'S0HRTEAM1',
  channel: 'C0HRQUEUE',
  calendar: {
    timezone: 'Europe/London',
    hours: { mon: '09:00-17:30', fri: '09:00-16:00' },
    holidays: { country: 'GB', region: 'ENG' },
  },
};

const SYNCED_AT = '2026-03-30T06:00:00.000Z';

function keptPeopleOps(): Department {
  return {
    ...departmentFromSpec(PEOPLE_OPS),
    usergroupMembers: ['U0HRMEM02', 'U0HRMEM03'],
    usergroupSyncedAt: SYNCED_AT,
  };
}

describe('departments from their written shape', () => {
  it('the default request-ID prefix is the id in capitals without dashes', () => {
    expect(departmentFromSpec(PEOPLE_OPS).prefix).toBe('PEOPLEOPS');
    expect(defaultPrefix('it')).toBe('IT');
    expect(defaultPrefix('sales-emea-2')).toBe('SALESEMEA2');
  });

  it('a long id gives a prefix of at most 10 characters', () => {
    expect(defaultPrefix('engineering-platform')).toBe('ENGINEERIN');
  });

  it('a written prefix wins over the default', () => {
    expect(departmentFromSpec({ ...PEOPLE_OPS, prefix: 'HR' }).prefix).toBe('HR');
  });

  it('the default prefix of any valid id is itself a valid prefix', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9-]{0,31}$/), (id) => {
        expect(DepartmentSpec.safeParse({ ...PEOPLE_OPS, id, prefix: defaultPrefix(id) }).success).toBe(true);
      }),
    );
  });

  it('members are an empty list when left out, and a department without a user group has none', () => {
    const { members: _m, usergroup: _u, ...spec } = PEOPLE_OPS;
    const d = departmentFromSpec(spec);
    expect(d.members).toEqual([]);
    expect(d.usergroupMembers).toEqual([]);
    expect(d).not.toHaveProperty('usergroup');
    expect(d).not.toHaveProperty('usergroupSyncedAt');
  });

  it('a new department knows no user group members until Slack is asked', () => {
    expect(departmentFromSpec(PEOPLE_OPS)).toMatchObject({ usergroup: 'S0HRTEAM1', usergroupMembers: [] });
    expect(departmentFromSpec(PEOPLE_OPS)).not.toHaveProperty('usergroupSyncedAt');
  });

  it('the user group members Slack reported are kept while the group stays the same', () => {
    const kept = keptPeopleOps();
    const edited = departmentFromSpec({ ...PEOPLE_OPS, name: 'People & Culture' }, kept);
    expect(edited.usergroupMembers).toEqual(['U0HRMEM02', 'U0HRMEM03']);
    expect(edited.usergroupSyncedAt).toBe(SYNCED_AT);
    expect(edited.name).toBe('People & Culture');
  });

  it('a different user group forgets the members of the old one', () => {
    const edited = departmentFromSpec({ ...PEOPLE_OPS, usergroup: 'S0PEOPLE2' }, keptPeopleOps());
    expect(edited.usergroup).toBe('S0PEOPLE2');
    expect(edited.usergroupMembers).toEqual([]);
    expect(edited).not.toHaveProperty('usergroupSyncedAt');
  });

  it('removing the user group forgets its members', () => {
    const { usergroup: _u, ...spec } = PEOPLE_OPS;
    const edited = departmentFromSpec(spec, keptPeopleOps());
    expect(edited).not.toHaveProperty('usergroup');
    expect(edited.usergroupMembers).toEqual([]);
  });

  it('a kept department written back reads as the same department', () => {
    const kept = keptPeopleOps();
    const spec = DepartmentSpec.parse(JSON.parse(JSON.stringify(specOfDepartment(kept))));
    expect(departmentFromSpec(spec, kept)).toEqual(kept);
    expect(specOfDepartment(kept)).not.toHaveProperty('usergroupMembers');
  });
});

describe('who belongs to a department', () => {
  const d = keptPeopleOps();

  it('heads are members too', () => {
    expect(isHead(d, 'U0HRHEAD1')).toBe(true);
    expect(isMember(d, 'U0HRHEAD1')).toBe(true);
  });

  it('listed members and user group members belong, but do not lead', () => {
    for (const user of ['U0HRMEM01', 'U0HRMEM02', 'U0HRMEM03']) {
      expect(isMember(d, user)).toBe(true);
      expect(isHead(d, user)).toBe(false);
    }
  });

  it('anyone else is neither', () => {
    expect(isMember(d, 'U0ITHEAD1')).toBe(false);
    expect(isHead(d, 'U0ITHEAD1')).toBe(false);
  });

  it('the directory finds the departments a person belongs to and leads', () => {
    const it: Department = departmentFromSpec({
      id: 'it',
      name: 'IT',
      heads: ['U0ITHEAD1'],
      members: ['U0HRMEM02'],
      channel: 'C0ITQUEUE',
      calendar: { timezone: 'UTC' },
    });
    const dir: Directory = { rev: 1, departments: [d, it], agreements: [], digests: [] };
    expect(departmentsOf(dir, 'U0HRMEM02').map((x) => x.id)).toEqual(['people-ops', 'it']);
    expect(departmentsOf(dir, 'U0HRMEM03').map((x) => x.id)).toEqual(['people-ops']);
    expect(departmentsHeadedBy(dir, 'U0ITHEAD1').map((x) => x.id)).toEqual(['it']);
    expect(departmentsHeadedBy(dir, 'U0HRMEM02')).toEqual([]);
  });
});

describe('Slack IDs and department ids', () => {
  it('tells user, channel and user group IDs apart by their first letter', () => {
    expect(['U0ABC1234', 'W0ENTERPR'].map(isUserId)).toEqual([true, true]);
    expect(['C0ITQUEUE', 'G0PRIVATE'].map(isChannelId)).toEqual([true, true]);
    expect(isUsergroupId('S0ITTEAM1')).toBe(true);
    expect([isUserId('C0ITQUEUE'), isChannelId('U0ABC1234'), isUsergroupId('U0ABC1234')]).toEqual([
      false,
      false,
      false,
    ]);
  });

  it('rejects names, handles and lowercase where an ID is expected', () => {
    expect(['@maria', 'maria', 'u0abc1234', 'U0', ''].some(isUserId)).toBe(false);
    expect(['#general', 'general', 'c0general'].some(isChannelId)).toBe(false);
  });

  it('department ids are short lowercase names starting with a letter', () => {
    expect(['it', 'people-ops', 'sales-emea-2', 'a'.repeat(32)].every(isDepartmentId)).toBe(true);
    expect(['IT', 'people ops', '2nd-line', '-it', 'a'.repeat(33), ''].some(isDepartmentId)).toBe(false);
  });
});
