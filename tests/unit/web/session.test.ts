/**
 * The dashboard's session cookie (functions/web/session.ts): it names the person it was sealed for
 * until it expires, and nothing else opens it: an altered payload or signature, another key, junk.
 */
import fc from 'fast-check';
import { openSession, SESSION_MS, sealSession, secureCookies, sessionKey } from '../../../functions/web/session';
import { testClock } from '../../support/test-clock';

const key = sessionKey('test-signing-secret-0123456789');
const clock = testClock();

it('names the person it was sealed for, until it expires', () => {
  const cookie = sealSession(key, 'U0ITHEAD1', clock.now());
  expect(openSession(key, cookie, clock.now())).toBe('U0ITHEAD1');
  expect(openSession(key, cookie, new Date(clock.ms() + SESSION_MS - 1))).toBe('U0ITHEAD1');
  expect(openSession(key, cookie, new Date(clock.ms() + SESSION_MS))).toBeUndefined();
});

it('is not opened with a key derived from another signing secret', () => {
  const cookie = sealSession(key, 'U0ITHEAD1', clock.now());
  expect(openSession(sessionKey('another-signing-secret-99'), cookie, clock.now())).toBeUndefined();
});

it('a cookie with any character changed opens as nobody', () => {
  const cookie = sealSession(key, 'U0ITHEAD1', clock.now());
  fc.assert(
    fc.property(fc.nat({ max: cookie.length - 1 }), fc.constantFrom(...'ABCxyz019-_.='), (at, c) => {
      fc.pre(cookie[at] !== c);
      const altered = cookie.slice(0, at) + c + cookie.slice(at + 1);
      expect(openSession(key, altered, clock.now())).toBeUndefined();
    }),
  );
});

it('a payload naming someone else, signed by nobody who knows the key, opens as nobody', () => {
  const [, signature] = sealSession(key, 'U0ITMEM01', clock.now()).split('.');
  const forged = Buffer.from(JSON.stringify({ u: 'U0ITHEAD1', exp: clock.ms() + SESSION_MS })).toString('base64url');
  expect(openSession(key, `${forged}.${signature}`, clock.now())).toBeUndefined();
});

it('junk, empty and oversized values open as nobody and never throw', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 600 }), (junk) => {
      expect(openSession(key, junk, clock.now())).toBeUndefined();
    }),
  );
  expect(openSession(key, undefined, clock.now())).toBeUndefined();
  expect(openSession(key, 'a.b.c', clock.now())).toBeUndefined();
});

it('cookies are Secure everywhere but plain http on this machine', () => {
  expect(secureCookies('http://127.0.0.1:3000')).toBe(false);
  expect(secureCookies('http://localhost:3000')).toBe(false);
  expect(secureCookies('https://abc.execute-api.eu-west-1.amazonaws.com')).toBe(true);
  expect(secureCookies('http://kept.example.com')).toBe(true);
});
