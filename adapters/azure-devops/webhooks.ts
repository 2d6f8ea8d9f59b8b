import * as z from 'zod/mini';
import type { WebhookEffect, WebhookFunctions } from '../types';
import { routeServiceHook, verifyServiceHook } from './hooks';
import { build, gitPullRequest, mapBuild, mapPullRequest } from './mapping';
import { inProjects } from './rest';

/**
 * Azure DevOps service hooks for pull requests and builds. Each carries the REST object in
 * `resource` (the pull request; the build), which is mapped at once with the sync's mapping
 * and the organization URL verification stored. A payload that does not parse — an older
 * resource version, a trimmed "minimal" resource — makes the event an incremental run of the
 * sync instead.
 * https://learn.microsoft.com/en-us/azure/devops/service-hooks/events#pull-request-created
 * https://learn.microsoft.com/en-us/azure/devops/service-hooks/events#build-completed
 */

const pr = z.object({ resource: gitPullRequest });
const completed = z.object({ resource: build });

const PR_EVENTS = new Set(['git.pullrequest.created', 'git.pullrequest.updated', 'git.pullrequest.merged']);

export const webhooks: WebhookFunctions = {
  verify: (req, secret) => verifyServiceHook(req, secret),
  route: (payload) => routeServiceHook(payload),
  apply: (payload, eventType, connection): WebhookEffect | undefined => {
    const config = connection?.config ?? {};
    const orgUrl = connection?.metadata.organization_url;
    if (PR_EVENTS.has(eventType)) {
      const p = pr.safeParse(payload);
      if (!p.success || !orgUrl) return { kind: 'sync', syncs: ['pull_requests'] };
      if (!inProjects(config, p.data.resource.repository.project.name)) return undefined;
      return {
        kind: 'records',
        sync: 'pull_requests',
        records: [mapPullRequest(orgUrl, p.data.resource)],
        deletedIds: [],
      };
    }
    if (eventType === 'build.complete') {
      const b = completed.safeParse(payload);
      if (!b.success || !orgUrl) return { kind: 'sync', syncs: ['pipeline_runs'] };
      if (!inProjects(config, b.data.resource.project.name)) return undefined;
      return {
        kind: 'records',
        sync: 'pipeline_runs',
        records: [mapBuild(orgUrl, b.data.resource)],
        deletedIds: [],
      };
    }
    return undefined;
  },
};
