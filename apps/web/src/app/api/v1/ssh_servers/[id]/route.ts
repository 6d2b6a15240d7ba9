import { NextResponse } from "next/server";
import { readJson } from "~/server/rest";
import { withCaller } from "~/server/rest-caller";
import { sshServerPatch } from "~/server/ssh-servers-rest";

type Params = { params: Promise<{ id: string }> };

export async function PATCH(req: Request, { params }: Params) {
  const { id } = await params;
  const body = await readJson(req, sshServerPatch);
  if (body instanceof NextResponse) return body;
  return withCaller(req, (api) => api.servers.update({ id, ...body }));
}

export async function DELETE(req: Request, { params }: Params) {
  const { id } = await params;
  return withCaller(req, (api) => api.servers.remove({ id }));
}
