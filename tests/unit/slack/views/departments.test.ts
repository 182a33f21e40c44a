import type { KnownBlock, SectionBlock } from '@slack/types';
import type { Department } from '../../../../functions/domain/department';
import type { Directory } from '../../../../functions/domain/directory';
import { departmentMessage, departmentsMessage, nameOf } from '../../../../functions/slack/views/agreements';
import { department, WEEK } from '../../../support/departments';

const it_ = department('it', 'IT', ['U0HEADIT'], { members: ['U0ALICE', 'U0BOB'], usergroup: 'S0ITTEAM1' });
const finance = department('finance', 'Finance', ['U0HEADFIN', 'U0HEADFIN2'], {
  calendar: { timezone: 'Europe/Berlin', hours: WEEK },
});
const dirOf = (departments: Department[]): Directory => ({ rev: 1, departments, agreements: [], digests: [] });
const dir = dirOf([it_, finance]);

const sections = (blocks: KnownBlock[]) =>
  blocks.filter((b): b is SectionBlock => b.type === 'section').map((b) => b.text?.text ?? '');
const contexts = (blocks: KnownBlock[]) =>
  blocks.flatMap((b) => (b.type === 'context' ? b.elements.map((e) => ('text' in e ? e.text : '')) : []));

describe('departmentsMessage and departmentMessage', () => {
  it('lists departments with id, prefix, channel, heads, members, user group and timezone', () => {
    const { blocks, text } = departmentsMessage(dir);
    const [itLine, financeLine] = sections(blocks);
    expect(itLine).toBe(
      '*IT* · `it` · prefix IT\nChannel <#C0ITQ> · Heads <@U0HEADIT>\n3 members + <!subteam^S0ITTEAM1> · America/New_York',
    );
    expect(financeLine).toContain('Heads <@U0HEADFIN>, <@U0HEADFIN2>');
    expect(financeLine).toContain('2 members · Europe/Berlin');
    expect(text).toBe('Departments (2): IT, Finance');
  });

  it('explains how to add the first department', () => {
    const { text } = departmentsMessage(dirOf([]));
    expect(text).toBe(
      'No departments yet. A Kept admin creates one with `/sla dept create …` or by importing a file (see the README).',
    );
  });

  it('stays within the block limit with 60 departments', () => {
    const many = Array.from({ length: 60 }, (_, i) => department(`d-${i}`, `Department ${i}`, ['U0HEAD']));
    const { blocks } = departmentsMessage(dirOf(many));
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(contexts(blocks).join()).toContain(`and ${60 - sections(blocks).length} more`);
  });

  it('shows one department in full with its hours per weekday', () => {
    const { blocks } = departmentMessage({
      ...it_,
      calendar: { ...it_.calendar, holidays: { country: 'us', region: 'ny', dates: ['2026-12-24'] } },
    });
    const [about, calendar] = sections(blocks);
    expect(about).toContain('*Channel:* <#C0ITQ>');
    expect(about).toContain('*Members:* <@U0ALICE>, <@U0BOB>');
    expect(calendar).toContain('*Working hours* (America/New_York)');
    expect(calendar).toContain('Mon  09:00-17:00');
    expect(calendar).toContain('Fri  09:00-12:00, 13:00-17:00');
    expect(calendar).toContain('Sat  closed');
    expect(calendar).toContain('public holidays of US (NY); also 2026-12-24');
    const own = departmentMessage({
      ...it_,
      calendar: { ...it_.calendar, overrides: { '2026-12-31': '', '2026-12-24': '09:00-12:00,13:00-15:00' } },
    });
    expect(sections(own.blocks)[1]).toContain('*Own hours:* 2026-12-24 09:00-12:00, 13:00-15:00; 2026-12-31 closed');
    const always = departmentMessage({ ...it_, calendar: { timezone: 'UTC' } });
    expect(sections(always.blocks)[1]).toContain('Around the clock');
  });

  it('turns department ids into names and falls back to the id', () => {
    expect(nameOf(dir)('finance')).toBe('Finance');
    expect(nameOf(dir)('gone')).toBe('gone');
  });
});
