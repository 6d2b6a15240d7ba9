// The adapters an agent can run on. Adding one: a file beside this one and a line here.
import type { Adapter } from "./adapter";
import { deepagent } from "./deepagent";
import { http } from "./http";
import { kaygraph } from "./kaygraph";
import { nexus } from "./nexus";

export const adapters = { nexus, kaygraph, http, deepagent } satisfies Record<string, Adapter>;

export type AdapterName = keyof typeof adapters;
export const ADAPTER_NAMES = Object.keys(adapters) as AdapterName[];
