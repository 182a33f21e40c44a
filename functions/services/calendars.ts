/** Compiled working calendars, shared by filing, the listeners, the notifiers and the scheduled jobs. */
import { type Calendar, type CalendarSpec, compileCalendar } from '../domain/calendar';
import type { Department } from '../domain/department';

const calendars = new Map<string, Calendar>();

/** A department's compiled calendar, kept for the life of the process (the spec is the key). */
export function calendarOf(department: Pick<Department, 'calendar'>): Calendar {
  const key = JSON.stringify(department.calendar);
  let calendar = calendars.get(key);
  if (!calendar) {
    calendar = compileCalendar(department.calendar as CalendarSpec);
    calendars.set(key, calendar);
  }
  return calendar;
}
