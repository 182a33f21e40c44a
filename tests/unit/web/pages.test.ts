/**
 * The dashboard's pages as a person reads them (functions/web/pages.ts): names from the table are
 * shown as text, never as markup; a department with nothing finished says so instead of "0%";
 * penalties appear only when the view carries them.
 */
import type { DashboardView, DepartmentView } from '../../../functions/web/dashboard';
import { dashboardPage, linkNotValidPage, noDepartmentsPage, signInPage } from '../../../functions/web/pages';

const dept = (over: Partial<DepartmentView> = {}): DepartmentView => ({
  id: 'rnd',
  name: 'R&D <script>alert(1)</script>',
  role: 'member',
  period: 'November 2026',
  provided: { requests: 0, met: 0, breached: 0, open: 0, compliancePct: null, byAgreement: [] },
  received: [],
  ...over,
});
const view = (...departments: DepartmentView[]): DashboardView => ({ user: 'U0ITMEM01', departments });

it('escapes every name it shows', () => {
  const html = dashboardPage(view(dept()));
  expect(html).not.toContain('<script>');
  expect(html).toContain('R&amp;D &lt;script&gt;alert(1)&lt;/script&gt;');
});

it('shows a dash, not 0%, while no request has finished', () => {
  const html = dashboardPage(view(dept()));
  expect(html).toContain('<span class="n">—</span> <span class="what">compliance</span>');
  expect(html).not.toContain('>0%<');
});

it('shows penalties only when the view carries them (heads and admins), and says who sees them otherwise', () => {
  const member = dashboardPage(view(dept()));
  expect(member).not.toContain('penalties owed');
  expect(member).toContain("Penalties are shown to the department's heads and Kept admins.");
  const head = dashboardPage(
    view(
      dept({
        role: 'head',
        provided: { ...dept().provided, penalty: { total: 70, unit: 'points' }, compliancePct: 87.5 },
      }),
    ),
  );
  expect(head).toContain('<span class="n">70 points</span> <span class="what">penalties owed</span>');
  expect(head).toContain('87.5%');
  expect(head).toContain('You are a head of this department');
});

it('every page is a whole document in English with a title and one h1, and the signed-in ones offer Sign out', () => {
  for (const html of [signInPage(), linkNotValidPage(), noDepartmentsPage(), dashboardPage(view(dept()))]) {
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toMatch(/<title>[^<]+ · Kept<\/title>/);
    expect(html.match(/<h1>/g)).toHaveLength(1);
  }
  expect(signInPage()).not.toContain('Sign out');
  expect(noDepartmentsPage()).toContain('Sign out');
  expect(dashboardPage(view())).toBe(noDepartmentsPage());
});

it('shows a front-line department its customers’ weekly figure beside the compliance it received, with the note', () => {
  const html = dashboardPage(
    view(
      dept({
        role: 'head',
        loyalty: {
          department: 'rnd',
          fromWeek: '2026-W23',
          toWeek: '2026-W48',
          agreements: ['it-for-rnd'],
          declared: false,
          metrics: [
            {
              metric: 'nps<b>',
              weeks: [
                { week: '2026-W47', requests: 2, met: 1, breached: 1, compliancePct: 50, value: 30 },
                { week: '2026-W48', requests: 0, met: 0, breached: 0, compliancePct: null, value: null },
              ],
              n: 1,
              note: 'There are not yet two weeks with both figures.',
            },
          ],
        },
      }),
    ),
  );
  expect(html).toContain('<h3>Customer loyalty</h3>');
  expect(html).toContain('<tr><td>2026-W47</td><td class="num">50%</td><td class="num">30</td></tr>');
  expect(html).not.toContain('2026-W48</td>'); // a week with neither figure is left out
  expect(html).toContain('nps&lt;b&gt;: no correlation over 1 week with both');
  expect(html).toContain('There are not yet two weeks with both figures.');
  expect(dashboardPage(view(dept()))).not.toContain('Customer loyalty');
});
