import type { ServiceName } from "@kayos/contracts";
import { buildNexus } from "./nexus/service";
import { buildObserver } from "./observer/service";
import type { ServiceOptions } from "./shared/server";
import { buildSmith } from "./smith/service";

export const builders: Record<ServiceName, (opts: Omit<ServiceOptions, "name" | "title" | "description">) => ReturnType<typeof buildNexus>> = {
  nexus: buildNexus,
  smith: buildSmith,
  observer: buildObserver,
};
