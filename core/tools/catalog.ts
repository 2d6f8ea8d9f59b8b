import { loadManifest, providerNames } from '../../adapters/manifests';
import { type ActionEntry, loadAllSchemas, loadSchemas } from '../../adapters/schemas';
import type { ActionDeclaration, ProviderManifest } from '../../adapters/types';

/**
 * Tools are the providers' actions, named `<provider>_<action>` (API.md), as their manifests
 * declare them (the data registry: no provider code). Running one is core/tools/execute.ts.
 */
export type Tool = { name: string; provider: ProviderManifest; action: ActionDeclaration };

const toolsIn = (m: ProviderManifest): Tool[] =>
  m.actions.map((action) => ({ name: `${m.name}_${action.name}`, provider: m, action }));

/** One provider's tools (none for a name that is no provider's). */
export const toolsOf = async (provider: string): Promise<Tool[]> => {
  const m = await loadManifest(provider);
  return m ? toolsIn(m) : [];
};

/**
 * The provider and action a tool name names: the longest provider name that, with `_`,
 * begins it (provider names hold `_` themselves: `microsoft_teams_send_channel_message`).
 * Read from the names alone, so running a tool loads one provider, not the catalog.
 */
export const parseToolName = (name: string): { provider: string; action: string } | undefined => {
  const provider = providerNames
    .filter((p) => name.startsWith(`${p}_`))
    .sort((a, b) => b.length - a.length)[0];
  return provider === undefined ? undefined : { provider, action: name.slice(provider.length + 1) };
};

/** A tool as GET /v1/tools shows it. */
export type ToolView = {
  name: string;
  provider: string;
  description: string;
  writes: boolean;
  input_schema: Record<string, unknown>;
};

const view = (provider: string, action: string, a: ActionEntry): ToolView => ({
  name: `${provider}_${action}`,
  provider,
  description: a.description,
  writes: a.writes,
  input_schema: a.input_schema,
});

/**
 * Every provider's tools as GET /v1/tools shows them, in registry order, read from the files
 * generated from the manifests at build time (adapters/schemas.ts, `npm run schemas`): the
 * catalog loads neither a manifest nor zod's converter.
 */
export const listToolViews = async (): Promise<ToolView[]> =>
  (await loadAllSchemas()).flatMap(([provider, s]) =>
    Object.entries(s.actions).map(([action, a]) => view(provider, action, a)),
  );

/** Tools as GET /v1/tools shows them, in the order given (their providers' generated files). */
export const toolViews = async (tools: Tool[]): Promise<ToolView[]> => {
  const providers = [...new Set(tools.map((t) => t.provider.name))];
  const schemas = new Map(await Promise.all(providers.map(async (p) => [p, await loadSchemas(p)] as const)));
  return tools.map((t) => {
    const entry = schemas.get(t.provider.name)?.actions[t.action.name];
    // A declared action missing from its provider's file: the file is stale (npm run schemas).
    if (!entry) throw new Error(`no generated schema for ${t.name}: run npm run schemas`);
    return view(t.provider.name, t.action.name, entry);
  });
};
