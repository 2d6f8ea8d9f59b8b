import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../adapters/manifests';

/**
 * PKCE S256 for every OAuth provider whose documentation supports it; for the others the
 * manifest says why not, citing the provider's documentation (the fakes of the providers
 * with PKCE check code_verifier against code_challenge as the provider does).
 */
const oauthProviders = (await loadManifests()).flatMap((m) =>
  m.auth.oauth2 ? [[m.name, m.auth.oauth2] as const] : [],
);

describe.each(oauthProviders)('%s', (_name, o) => {
  it('uses PKCE, or documents why it cannot with the provider’s docs URL', () => {
    if (o.pkce) {
      expect(o.noPkceReason).toBeUndefined();
      return;
    }
    const reason = o.noPkceReason ?? '';
    expect(reason).toMatch(/https:\/\/\S+/);
    // A reason, not only a link.
    expect(reason.replace(/https:\/\/\S+/g, '').trim().length).toBeGreaterThan(40);
  });
});

it('every OAuth provider is checked, and most use PKCE', () => {
  expect(oauthProviders.length).toBeGreaterThanOrEqual(9);
  expect(oauthProviders.filter(([, o]) => o.pkce).map(([n]) => n)).toEqual(
    expect.arrayContaining(['github', 'gitlab', 'linear', 'microsoft_teams', 'google_calendar']),
  );
});
