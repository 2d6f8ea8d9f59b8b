import { brotliDecompressSync } from 'node:zlib';
import {
  type ActionDescription,
  loadDescription,
  type ProviderDescription,
} from '../../adapters/descriptions';

/**
 * Tools are the providers' actions, named `<provider>_<action>` (API.md), as their
 * descriptions (adapters/descriptions.ts: plain JSON generated from the manifests; no
 * provider code, no zod) declare them. Running one is core/tools/execute.ts.
 */
export type Tool = { name: string; provider: ProviderDescription; action: ActionDescription };

const toolsIn = (d: ProviderDescription): Tool[] =>
  d.actions.map((action) => ({ name: `${d.name}_${action.name}`, provider: d, action }));

/** One provider's tools (none for a name that is no provider's). */
export const toolsOf = async (provider: string): Promise<Tool[]> => {
  const d = await loadDescription(provider);
  return d ? toolsIn(d) : [];
};

/**
 * The provider and action a tool name names: the longest provider name that, with `_`,
 * begins it (provider names hold `_` themselves: `microsoft_teams_send_channel_message`).
 * Read from the names alone, so running a tool loads one provider, not the catalog; which
 * names are providers' is the caller's registry (execute: the implementations', so it keeps
 * no other).
 */
export const parseToolName = (
  name: string,
  isProvider: (name: string) => boolean,
): { provider: string; action: string } | undefined => {
  for (let end = name.lastIndexOf('_'); end > 0; end = name.lastIndexOf('_', end - 1)) {
    const provider = name.slice(0, end);
    if (isProvider(provider)) return { provider, action: name.slice(end + 1) };
  }
  return undefined;
};

/** A tool as GET /v1/tools shows it. */
export type ToolView = {
  name: string;
  provider: string;
  description: string;
  writes: boolean;
  input_schema: Record<string, unknown>;
};

/** An action as GET /v1/tools shows it (the catalog's file is generated with this too). */
export const toolView = (provider: string, a: ActionDescription): ToolView => ({
  name: `${provider}_${a.name}`,
  provider,
  description: a.description,
  writes: a.writes,
  input_schema: a.inputSchema,
});

let catalog: ToolView[] | undefined;

/**
 * Every provider's tools as GET /v1/tools shows them, in registry order: the one file
 * generated from the descriptions at build time (scripts/json-schemas.ts, `npm run schemas`,
 * with toolView), so the catalog loads neither a manifest nor a provider's chunk. Read from
 * its compressed copy (adapters/tools-catalog.generated.ts: ≈ 7.5 KB instead of ≈ 37 KB of
 * object literal at each cold start), decompressed once per container.
 */
export const listToolViews = async (): Promise<ToolView[]> => {
  if (!catalog) {
    const { toolsCatalogBrotli } = await import('../../adapters/tools-catalog.generated');
    catalog = JSON.parse(brotliDecompressSync(Buffer.from(toolsCatalogBrotli, 'base64')).toString('utf8'));
  }
  return catalog as ToolView[];
};

/** Tools as GET /v1/tools shows them, in the order given. */
export const toolViews = (tools: Tool[]): ToolView[] => tools.map((t) => toolView(t.provider.name, t.action));
