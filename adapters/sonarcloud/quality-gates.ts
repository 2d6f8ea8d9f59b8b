import * as z from 'zod/mini';
import { type QualityGate, qualityGate } from '../models';
import { callSonar, checked, isoOf, projectUrl, type SonarCall } from './web-api';

/**
 * A project's quality gate status, on its main branch or a branch or pull request:
 * OK, ERROR, WARN (gates of older servers) or NONE (no gate, or never analysed), with each
 * condition's metric, status, actual value and error threshold.
 * https://sonarcloud.io/web_api/api/qualitygates/project_status
 */

const condition = z.object({
  status: z.string(),
  metricKey: z.string(),
  comparator: z.optional(z.string()),
  errorThreshold: z.optional(z.nullable(z.string())),
  actualValue: z.optional(z.nullable(z.string())),
});

const statusAnswer = z.object({
  projectStatus: z.object({
    status: z.string(),
    conditions: z.optional(z.nullable(z.array(condition))),
  }),
});

const STATUSES: Record<string, QualityGate['status']> = {
  OK: 'passed',
  ERROR: 'failed',
  WARN: 'warn',
  NONE: 'none',
};

export type Target = { branch?: string | undefined; pullRequest?: string | undefined };

/**
 * The gate of `projectKey`. `analysedAt` is the analysis it was computed on, when the caller
 * knows it (project_status itself names only the new-code period, not the analysis).
 */
export const projectStatus = async (
  ctx: SonarCall,
  projectKey: string,
  target: Target,
  analysedAt: string | null | undefined,
): Promise<QualityGate> => {
  const answer = await callSonar(ctx, '/api/qualitygates/project_status', statusAnswer, {
    projectKey,
    branch: target.branch,
    pullRequest: target.pullRequest,
  });
  const s = answer.projectStatus;
  const extra: Record<string, string> = {};
  if (target.branch) extra.branch = target.branch;
  if (target.pullRequest) extra.pullRequest = target.pullRequest;
  return checked(qualityGate, `the quality gate of ${projectKey}`, {
    project: projectKey,
    status: STATUSES[s.status] ?? 'none',
    conditions: (s.conditions ?? []).map((c) => ({
      metric: c.metricKey,
      status: c.status,
      actual: c.actualValue ?? null,
      threshold: c.errorThreshold ?? null,
    })),
    url: projectUrl(ctx.baseUrl, projectKey, extra),
    analysed_at: isoOf(analysedAt),
  });
};

const showAnswer = z.object({ component: z.object({ analysisDate: z.optional(z.nullable(z.string())) }) });

/** When the project (branch, pull request) was last analysed. */
export const lastAnalysis = async (ctx: SonarCall, key: string, target: Target): Promise<string | null> => {
  // https://sonarcloud.io/web_api/api/components/show
  const answer = await callSonar(ctx, '/api/components/show', showAnswer, {
    component: key,
    branch: target.branch,
    pullRequest: target.pullRequest,
  });
  return answer.component.analysisDate ?? null;
};

/** The record id of a gate: the main branch's is the project's; others name theirs. */
export const gateId = (key: string, target: Target = {}): string =>
  target.pullRequest
    ? `sonar_qg_${key}@pr:${target.pullRequest}`
    : target.branch
      ? `sonar_qg_${key}@branch:${target.branch}`
      : `sonar_qg_${key}`;
