import type { ControlDb } from "@kayos/db/control";
import { AppError } from "../errors";

/** The organization's default customer server (the one its agents run on unless told otherwise). */
export async function defaultServer(db: ControlDb, organizationId: string) {
  const server = await db.customerServer.findFirst({
    where: { organizationId },
    orderBy: [{ isDefault: "desc" }, { createdAt: "asc" }],
  });
  if (!server) throw new AppError("NOT_FOUND", "This organization has no customer server yet; add one under Servers");
  return server;
}
