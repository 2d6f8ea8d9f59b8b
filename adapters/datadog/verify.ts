import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import type { HttpResponse } from '../http';
import { parseAnswer } from '../parse';
import type { VerifiedAccount, VerifyContext } from '../types';
import { datadogSites } from './config';

const validation = z.object({ valid: z.boolean() });

const currentUser = z.object({
  data: z.object({
    id: z.string(),
    attributes: z.object({
      name: z.optional(z.nullable(z.string())),
      handle: z.optional(z.string()),
      email: z.optional(z.string()),
    }),
    relationships: z.optional(
      z.object({ org: z.optional(z.object({ data: z.object({ id: z.string() }) })) }),
    ),
  }),
  // The user's organization (type "orgs") and roles, JSON:API style.
  included: z.optional(
    z.array(
      z.object({
        type: z.string(),
        id: z.string(),
        attributes: z.optional(
          z.object({ name: z.optional(z.nullable(z.string())), public_id: z.optional(z.string()) }),
        ),
      }),
    ),
  ),
});

// Datadog's error shape: {"errors": ["Forbidden"]}.
const errorBody = z.object({ errors: z.array(z.string()) });

const reason = (res: HttpResponse): string =>
  errorBody.safeParse(res.jsonOrUndefined()).data?.errors.join('; ') || `HTTP ${res.status}`;

/** Each Datadog site is its own installation, with its API at api.<site>. */
export const resolveBaseUrl = (config: Record<string, unknown>): string => {
  const site = datadogSites.find((s) => s === config.site) ?? 'datadoghq.com';
  return `https://api.${site}`;
};

export const verifyCredentials = async (ctx: VerifyContext): Promise<VerifiedAccount> => {
  const c = ctx.credentials;
  if (c.type !== 'api_key')
    throw new ProviderError('rejected', `Datadog does not accept ${c.type} credentials.`);
  if (!c.app_key) {
    throw new ProviderError(
      'rejected',
      'Datadog needs an application key (app_key) as well as the API key.',
      {
        field: 'app_key',
      },
    );
  }
  // A key of another site is unknown here: the likeliest reason for a refusal of a key
  // the user just copied.
  const siteHint = ctx.config.site ? '' : ' (is the organization on another Datadog site? set config.site)';

  // The API key alone first, so a refusal says which of the two keys is wrong.
  // https://docs.datadoghq.com/api/latest/authentication/#validate-api-key
  const validate = await ctx.http(`${ctx.baseUrl}/api/v1/validate`, { headers: { 'dd-api-key': c.api_key } });
  if (
    validate.status !== 200 ||
    !parseAnswer('Datadog', validation, validate, 'GET /api/v1/validate').valid
  ) {
    throw new ProviderError('rejected', `Datadog rejected the API key: ${reason(validate)}${siteHint}`, {
      status: validate.status,
      field: 'api_key',
    });
  }

  // Needs both keys and no permission beyond them: proves the application key and says
  // whose it is and in which organization.
  // https://docs.datadoghq.com/api/latest/users/#get-current-user
  const res = await ctx.http(`${ctx.baseUrl}/api/v2/current_user`, {
    headers: { 'dd-api-key': c.api_key, 'dd-application-key': c.app_key },
  });
  if (res.status !== 200) {
    throw new ProviderError('rejected', `Datadog rejected the application key: ${reason(res)}`, {
      status: res.status,
      field: 'app_key',
    });
  }
  const { data, included } = parseAnswer('Datadog', currentUser, res, 'GET /api/v2/current_user');
  const orgId = data.relationships?.org?.data.id;
  const org = included?.find((i) => i.type === 'orgs' && (orgId === undefined || i.id === orgId));
  const userName = data.attributes.handle ?? data.attributes.email ?? data.id;
  const metadata: Record<string, string> = { user_id: data.id, user_handle: userName };
  if (org?.attributes?.public_id) metadata.org_public_id = org.attributes.public_id;
  return {
    account: { id: org?.id ?? orgId ?? data.id, name: org?.attributes?.name || userName },
    metadata,
  };
};
