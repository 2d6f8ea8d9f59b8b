import * as z from 'zod/mini';
import { defineAction, defineManifest, defineSync } from '../types';
import { config } from './config';

const projectKey = z
  .string()
  .check(z.minLength(1), z.maxLength(400), z.describe('Project key, e.g. acme_payments-api'));

export const qualityGateStatusInput = z.object({
  project_key: projectKey,
  branch: z.optional(z.string().check(z.minLength(1), z.describe('A branch other than the main one'))),
  pull_request: z.optional(z.string().check(z.regex(/^\d+$/), z.describe('Pull request number'))),
});

export const listProjectsInput = z.object({
  organization: z.optional(
    z.string().check(z.minLength(1), z.describe("Organization key; default: the connection's")),
  ),
  page_size: z.optional(z.int().check(z.minimum(1), z.maximum(500), z.describe('Default 100'))),
  cursor: z.optional(
    z.string().check(z.regex(/^[1-9]\d*$/), z.describe("The previous answer's next_cursor")),
  ),
});

export const manifest = defineManifest({
  name: 'sonarcloud',
  displayName: 'SonarQube Cloud',
  categories: ['quality'],
  curated: true,
  docsUrl: 'https://docs.sonarsource.com/sonarqube-cloud/advanced-setup/web-api',
  // The EU instance; the US one is sonarqube.us, reached through the integration's api_base_url.
  apiBaseUrl: 'https://sonarcloud.io',
  hosts: ['sonarcloud.io', '*.sonarcloud.io', 'sonarqube.us', '*.sonarqube.us'],
  auth: {
    api_key: {
      fields: [
        {
          name: 'api_key',
          label: 'User token',
          secret: true,
          help: 'In SonarQube Cloud: your avatar → My Account → Security → Generate Tokens.',
        },
      ],
      docsUrl: 'https://docs.sonarsource.com/sonarqube-cloud/managing-your-account/managing-tokens',
    },
  },
  // The user token as Bearer. https://docs.sonarsource.com/sonarqube-cloud/advanced-setup/web-api
  proxy: { headers: { api_key: { authorization: 'Bearer {api_key}' } } },
  config,
  syncs: [
    defineSync({
      name: 'quality_gates',
      model: 'quality_gate',
      description:
        "Each project's quality gate status on its main branch, with its conditions and last analysis.",
      defaultFrequency: '1h',
      incremental: false,
    }),
    defineSync({
      name: 'projects',
      model: 'project',
      description: 'Projects of the organization(s) the token can browse.',
      defaultFrequency: '1d',
      incremental: false,
    }),
  ],
  actions: [
    defineAction({
      name: 'get_quality_gate_status',
      description:
        "A project's quality gate status (passed, failed) and its conditions, on the main branch or a branch or pull request.",
      writes: false,
      input: qualityGateStatusInput,
      projectField: 'project_key',
    }),
    defineAction({
      name: 'list_projects',
      description: 'List the projects of an organization the user can browse, by name.',
      writes: false,
      input: listProjectsInput,
    }),
  ],
  webhooks: {
    // One kind of delivery, without an event name: an analysis finished or an issue change
    // moved the quality gate. Signed when the webhook has a secret.
    events: ['analysis'],
    signature: { scheme: 'hmac_sha256_hex', header: 'x-sonar-webhook-hmac-sha256' },
    docsUrl: 'https://docs.sonarsource.com/sonarqube-cloud/discovering-sonarcloud/integrations/webhooks',
  },
});
