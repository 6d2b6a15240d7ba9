import type { ControlDb } from "@kayos/db/control";
import { generateConfig } from "../../services/command-center/generate-config";
import { serverFor } from "../../services/dispatch";
import type { CommandCenterSettings } from "./schema";

type Ctx = { db: ControlDb; org: { id: string }; config: { encryptionKey: string; serviceTimeoutMs: number } };

/**
 * Saving refuses what Preview and Deploy would refuse, by running the same generator on the
 * settings (pinned versions exist, offered agent types can run for end users, the config validates).
 * An organization without any server yet gets a stand-in Nexus URL so the rest is still checked.
 */
export async function assertDeployable(ctx: Ctx, settings: CommandCenterSettings, serverId: string | null) {
  const hasServer = !!serverId || (await ctx.db.customerServer.count({ where: { organizationId: ctx.org.id } })) > 0;
  const server = hasServer ? await serverFor(ctx, ctx.org.id, serverId) : { nexusUrl: "http://nexus.invalid" };
  await generateConfig(ctx.db, ctx.org.id, settings, server);
}
