/** Which requests come from the installed workspace (functions/slack/workspace.ts), Grid included. */
import { judge, originOf } from '../../../functions/slack/workspace';

const HOME = { team: 'T0HOME0001' };
const GRID = { team: 'T0HOME0001', enterprise: 'E0ORG00001' };

describe('where a request comes from', () => {
  it('reads commands, interactions and events', () => {
    expect(originOf({ command: '/sla', team_id: 'T1', enterprise_id: 'E1' })).toEqual({
      kind: 'command',
      team: 'T1',
      enterprise: 'E1',
      userTeam: undefined,
    });
    expect(originOf({ type: 'block_actions', team: { id: 'T1' }, enterprise: null, user: { team_id: 'T2' } })).toEqual({
      kind: 'interaction',
      team: 'T1',
      enterprise: undefined,
      userTeam: 'T2',
    });
    expect(originOf({ type: 'event_callback', team_id: 'T1', event: { type: 'message', user_team: 'T3' } })).toEqual({
      kind: 'event',
      team: 'T1',
      enterprise: undefined,
      userTeam: 'T3',
    });
    expect(originOf({ type: 'url_verification', challenge: 'x' })).toEqual({ kind: 'other' });
  });
});

describe('judging it', () => {
  it.each([
    ['the home workspace', { kind: 'command', team: 'T0HOME0001' }, HOME, 'home'],
    ['another workspace', { kind: 'command', team: 'T0OTHER001' }, HOME, 'other_workspace'],
    ['no workspace named', { kind: 'interaction' }, HOME, 'other_workspace'],
    [
      'a guest of a shared channel',
      { kind: 'interaction', team: 'T0HOME0001', userTeam: 'T0GUEST001' },
      HOME,
      'outside_person',
    ],
    ['an allowed partner', { kind: 'interaction', team: 'T0HOME0001', userTeam: 'T0PARTNER1' }, HOME, 'home'],
    [
      'Grid: same organisation and workspace',
      { kind: 'event', team: 'T0HOME0001', enterprise: 'E0ORG00001' },
      GRID,
      'home',
    ],
    ['Grid: an org-wide payload without a workspace', { kind: 'interaction', enterprise: 'E0ORG00001' }, GRID, 'home'],
    [
      'Grid: another organisation',
      { kind: 'event', team: 'T0HOME0001', enterprise: 'E0OTHER001' },
      GRID,
      'other_workspace',
    ],
    [
      'Grid: another workspace of the organisation',
      { kind: 'event', team: 'T0SISTER01', enterprise: 'E0ORG00001' },
      GRID,
      'other_workspace',
    ],
  ] as const)('%s', (_name, origin, home, verdict) => {
    expect(judge(origin, home, ['T0PARTNER1'])).toBe(verdict);
  });
});
