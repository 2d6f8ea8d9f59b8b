import * as z from 'zod/mini';
import { parseAnswer } from '../parse';
import type { VerifiedAccount, VerifyContext } from '../types';
import { call, list, organizationOf, organizationUrl, teamProject } from './rest';

const connectionData = z.object({
  authenticatedUser: z.object({
    id: z.string(),
    providerDisplayName: z.optional(z.nullable(z.string())),
  }),
  // The organization's (project collection's) id: service hook events name it in
  // `resourceContainers.collection.id`, which is how webhooks find this connection.
  instanceId: z.string(),
});

/**
 * Credentials are proven where they are used: on the organization itself. A personal access
 * token may be valid for one organization only, and an Entra user may belong to several, so
 * the profile service (app.vssps.visualstudio.com/_apis/profile/profiles/me) would prove the
 * person but not access to `config.organization` — and it refuses PATs scoped to a single
 * organization. Instead: the cheapest call that needs access to the organization (one
 * project), then who the organization says the caller is, with its id.
 */
export const verifyCredentials = async (ctx: VerifyContext): Promise<VerifiedAccount> => {
  const organization = organizationOf(ctx);

  // https://learn.microsoft.com/en-us/rest/api/azure/devops/core/projects/list?view=azure-devops-rest-7.1
  // A bad PAT: 401, or 203 with the sign-in page (rest.ts `failure`).
  const projects = await call(ctx, '/_apis/projects', { query: { $top: '1' } });
  parseAnswer('Azure DevOps', list(teamProject), projects, 'GET /_apis/projects');

  // The connection data every Azure DevOps client starts from (the .NET and Node clients'
  // `connect()`): the authenticated identity and the collection's instance id.
  // https://github.com/microsoft/azure-devops-node-api/blob/master/api/WebApi.ts (connect → _apis/connectionData)
  const res = await call(ctx, '/_apis/connectionData');
  const data = parseAnswer('Azure DevOps', connectionData, res, 'GET /_apis/connectionData');
  return {
    account: {
      id: data.authenticatedUser.id,
      name: data.authenticatedUser.providerDisplayName || data.authenticatedUser.id,
    },
    // The organization URL in use: webhooks map records with it (their payloads name no host of ours).
    metadata: { organization, organization_id: data.instanceId, organization_url: organizationUrl(ctx) },
  };
};
