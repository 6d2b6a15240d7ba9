// Everything Nexus's services share, built once per app in service.ts.
import type { UsageEventInput } from "@kayos/contracts";
import type { AgentsDb } from "@kayos/db/agents";
import type { ObserverReporter } from "../../shared/observer-reporter";
import type { NexusConfig } from "../env";
import type { ConversationStore } from "../store/conversations";
import type { EventStore } from "../store/events";
import type { ExecutionStore } from "../store/executions";
import type { GraphStore } from "../store/graphs";
import type { Claude } from "./claude";
import type { EventHub } from "./event-hub";

export interface NexusDeps {
  config: NexusConfig;
  offline: boolean;
  db: AgentsDb;
  claude: Claude;
  executions: ExecutionStore;
  events: EventStore;
  conversations: ConversationStore;
  graphs: GraphStore;
  hub: EventHub;
  reporter: ObserverReporter<UsageEventInput & { event_id: string }>;
  /** The last API key each organization called with: Nexus acts for it toward Observer and Smith. */
  keys: Map<string, string>;
  /** Open SSE responses, ended when the service closes. */
  streams: Set<{ end(): void }>;
  logError: (error: unknown) => void;
}
