// One casbin enforcer per process, built on the shared Prisma client. A reload builds a new
// enforcer and swaps it in, so checks never see a half-loaded (empty) policy.
import type { Action, Resource, RoleName } from "@kayos/db/roles";
import type { ControlDb } from "@kayos/db/control";
import { newEnforcer, newModelFromString, type Enforcer } from "casbin";
import { CASBIN_MODEL } from "./model";
import { PrismaCasbinAdapter } from "./prisma-adapter";

export interface Authorizer {
  can(role: RoleName, organizationId: string, resource: Resource, action: Action): Promise<boolean>;
  reload(): Promise<void>;
}

const RELOAD_MS = 60_000;

async function build(db: ControlDb): Promise<Enforcer> {
  return newEnforcer(newModelFromString(CASBIN_MODEL), new PrismaCasbinAdapter(db));
}

export function createAuthorizer(db: ControlDb): Authorizer {
  let current: Promise<Enforcer> = build(db);
  let loadedAt = Date.now();
  const authorizer: Authorizer = {
    async can(role, organizationId, resource, action) {
      // Rules changed by another instance arrive within a minute; a local change reloads at once.
      if (Date.now() - loadedAt > RELOAD_MS) void authorizer.reload();
      return (await current).enforce(role, organizationId, resource, action);
    },
    async reload() {
      loadedAt = Date.now();
      const next = build(db);
      await next;
      current = next;
    },
  };
  return authorizer;
}

const perProcess = new WeakMap<ControlDb, Authorizer>();
export function authorizerFor(db: ControlDb): Authorizer {
  let a = perProcess.get(db);
  if (!a) perProcess.set(db, (a = createAuthorizer(db)));
  return a;
}
