import { describe, expect, it } from 'vitest';
import { bindingCookieName, browserMatches, newBinding } from '../../core/connections/browser-binding';
import { newId, newSessionId, SESSION_ID } from '../../core/platform/ids';

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';
const randomPart = (id: string) =>
  [...id.slice(-16)].reduce((n, c) => n * 32n + BigInt(CROCKFORD.indexOf(c)), 0n);

describe('connect session ids', () => {
  it('are not the previous id plus one within a millisecond, as monotonic ULIDs are', () => {
    const monotonic = [newId('cs'), newId('cs')];
    const sessions = Array.from({ length: 50 }, newSessionId);
    for (const id of sessions) expect(id).toMatch(SESSION_ID);
    // The monotonic factory: the second id of a burst is the first plus one (the weakness).
    const sameMs = monotonic[0]?.slice(0, 13) === monotonic[1]?.slice(0, 13);
    if (sameMs) expect(randomPart(monotonic[1] as string) - randomPart(monotonic[0] as string)).toBe(1n);
    for (let i = 1; i < sessions.length; i++) {
      const d = randomPart(sessions[i] as string) - randomPart(sessions[i - 1] as string);
      expect(d === 1n || d === -1n || d === 0n).toBe(false);
    }
  });
});

describe('browser binding', () => {
  const session = newSessionId();
  const validUntil = new Date(Date.now() + 600_000).toISOString();

  it('matches only the nonce whose hash was stored, under its own session’s cookie name', () => {
    const b = newBinding(session, validUntil);
    const nonce = b.setCookie.split(';')[0]?.split('=')[1] as string;
    expect(b.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(b.hash).not.toContain(nonce);
    expect(browserMatches([`${bindingCookieName(session)}=${nonce}`], session, b.hash)).toBe(true);
    expect(browserMatches(['other=1', `${bindingCookieName(session)}=${nonce}`], session, b.hash)).toBe(true);
    expect(browserMatches([], session, b.hash)).toBe(false);
    expect(browserMatches([`${bindingCookieName(session)}=${nonce}x`], session, b.hash)).toBe(false);
    expect(browserMatches([`${bindingCookieName(newSessionId())}=${nonce}`], session, b.hash)).toBe(false);
    expect(browserMatches([`${bindingCookieName(session)}=${nonce}`], session, undefined)).toBe(false);
    expect(browserMatches([`${bindingCookieName(session)}=${nonce}`], session, 'not-hex')).toBe(false);
  });

  it('lives as long as the session, never less than a second', () => {
    expect(newBinding(session, validUntil).setCookie).toMatch(
      /; Max-Age=(59\d|600); Path=\/; Secure; HttpOnly; SameSite=Lax$/,
    );
    expect(newBinding(session, new Date(0).toISOString()).setCookie).toContain('Max-Age=1;');
  });
});
