import { type Action, type Adapter, listAdapters } from '../../adapters';
import { jsonSchema } from '../platform/json-schema';

/** Tools are the providers' actions, named `<provider>_<action>` (API.md). */
export type Tool = { name: string; adapter: Adapter; action: Action };

let tools: Map<string, Tool> | undefined;

const all = (): Map<string, Tool> => {
  tools ??= new Map(
    listAdapters().flatMap((adapter) =>
      Object.values(adapter.actions).map((action): [string, Tool] => {
        const name = `${adapter.manifest.name}_${action.name}`;
        return [name, { name, adapter, action }];
      }),
    ),
  );
  return tools;
};

export const listToolDefinitions = (): Tool[] => [...all().values()];
export const findTool = (name: string): Tool | undefined => all().get(name);
export const toolsOf = (provider: string): Tool[] =>
  listToolDefinitions().filter((t) => t.adapter.manifest.name === provider);

const views = new Map<string, ReturnType<typeof build>>();
const build = (t: Tool) => ({
  name: t.name,
  provider: t.adapter.manifest.name,
  description: t.action.description,
  writes: t.action.writes,
  input_schema: jsonSchema(t.action.input),
});

/** A tool as GET /v1/tools shows it; JSON Schemas generated once per container. */
export const toolView = (t: Tool) => {
  let v = views.get(t.name);
  if (!v) {
    v = build(t);
    views.set(t.name, v);
  }
  return v;
};
