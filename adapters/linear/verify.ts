import * as z from 'zod/mini';
import type { VerifiedAccount, VerifyContext } from '../types';
import { linearGraphql } from './graphql';

const query = 'query { viewer { id name email } organization { id name urlKey } }';

const answer = z.object({
  viewer: z.object({ id: z.string(), name: z.string(), email: z.optional(z.string()) }),
  organization: z.object({ id: z.string(), name: z.string(), urlKey: z.optional(z.string()) }),
});

/**
 * Who the credentials are: the viewer and its organization. Linear refuses bad credentials
 * with GraphQL errors on HTTP 400 (401 for an expired OAuth token).
 * https://linear.app/developers/graphql#authentication
 */
export const verifyCredentials = async (ctx: VerifyContext): Promise<VerifiedAccount> => {
  const data = await linearGraphql(ctx, 'the viewer query', { query }, answer);
  return {
    account: { id: data.organization.id, name: data.organization.name },
    metadata: {
      user_id: data.viewer.id,
      // What webhooks name the workspace by (`organizationId`): they are routed by it.
      organization_id: data.organization.id,
      ...(data.organization.urlKey ? { url_key: data.organization.urlKey } : {}),
    },
  };
};
