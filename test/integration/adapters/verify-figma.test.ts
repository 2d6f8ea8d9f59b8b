import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials } from '../../../adapters';
import { type FigmaFake, startFigmaFake } from '../../fakes/figma';
import { randomToken } from '../../fakes/server';
import { expectProviderError, secretsOf, verify } from './verify-helpers';

let figma: FigmaFake;
let design: string;
let marketing: string;
let hidden: string;

beforeAll(async () => {
  figma = await startFigmaFake();
  design = figma.addTeam('Design');
  marketing = figma.addTeam('Marketing');
  hidden = figma.addTeam('Someone else’s', { visible: false });
});
afterAll(() => figma.stop());

describe('figma verifyCredentials', () => {
  it('returns the user of a personal access token (X-Figma-Token) and keeps each team of config', async () => {
    const before = figma.requests.length;
    const verified = await verify('figma', {
      credentials: figma.valid,
      baseUrl: figma.apiBaseUrl,
      config: { team_ids: [design, marketing] },
    });
    expect(verified).toEqual({
      account: { id: figma.me.id, name: figma.me.email },
      metadata: { team_1_id: design, team_1_name: 'Design', team_2_id: marketing, team_2_name: 'Marketing' },
    });
    const calls = figma.requests.slice(before);
    expect(calls.map((r) => r.path)).toEqual([
      '/v1/me',
      `/v1/teams/${design}/projects`,
      `/v1/teams/${marketing}/projects`,
    ]);
    for (const c of calls) {
      expect(c.headers['x-figma-token']).toBe(secretsOf(figma.valid)[0]);
      expect(c.headers.authorization).toBeUndefined();
    }
  });

  it('sends an OAuth token as Bearer', async () => {
    const before = figma.requests.length;
    const verified = await verify('figma', { credentials: figma.oauth, baseUrl: figma.apiBaseUrl });
    expect(verified.account).toEqual({ id: figma.me.id, name: figma.me.email });
    expect(figma.requests[before]?.headers.authorization).toBe(`Bearer ${secretsOf(figma.oauth)[0]}`);
    expect(figma.requests[before]?.headers['x-figma-token']).toBeUndefined();
  });

  it('rejects an unknown token with Figma’s words (403 Invalid token), never echoing it', async () => {
    const wrong: Credentials = { type: 'api_key', api_key: `figd_${randomToken(40)}` };
    await expectProviderError(
      verify('figma', { credentials: wrong, baseUrl: figma.apiBaseUrl }),
      'rejected',
      {
        message: 'Invalid token',
        status: 403,
        secrets: secretsOf(wrong),
      },
    );
  });

  it('rejects a team the user cannot see, naming it', async () => {
    await expectProviderError(
      verify('figma', {
        credentials: figma.valid,
        baseUrl: figma.apiBaseUrl,
        config: { team_ids: [design, hidden] },
      }),
      'rejected',
      { message: `Figma knows no team ${hidden} (config.team_ids).`, status: 404 },
    );
  });

  it('rejects a token without projects:read when the connection names teams', async () => {
    await expectProviderError(
      verify('figma', {
        credentials: figma.meOnly,
        baseUrl: figma.apiBaseUrl,
        config: { team_ids: [design] },
      }),
      'rejected',
      { message: /requires the projects:read scope/, status: 403, secrets: secretsOf(figma.meOnly) },
    );
  });

  it('is unreachable on 5xx, rate_limited with Retry-After on 429', async () => {
    figma.failNext('down');
    await expectProviderError(
      verify('figma', { credentials: figma.valid, baseUrl: figma.apiBaseUrl }),
      'unreachable',
      {
        status: 500,
      },
    );
    figma.failNext('rate_limit', 30);
    const e = await expectProviderError(
      verify('figma', { credentials: figma.valid, baseUrl: figma.apiBaseUrl }),
      'rate_limited',
    );
    expect(e.retryAfterSeconds).toBe(30);
  });
});
