import { clientsForServer } from "../../clients/for-server";
import { checkServices } from "../../services/service-health";
import { defaultServer } from "../../services/servers";
import { orgProcedure } from "../../trpc";

/** Each agent service of the organization's default server: healthy, down, or refusing its key. */
export const services = orgProcedure("health", "read").query(async ({ ctx }) => {
  const server = await defaultServer(ctx.db, ctx.org.id);
  const clients = clientsForServer(server, ctx.config.encryptionKey, { timeoutMs: ctx.config.serviceTimeoutMs });
  return { server: { id: server.id, name: server.name }, services: await checkServices(clients), checkedAt: new Date() };
});
