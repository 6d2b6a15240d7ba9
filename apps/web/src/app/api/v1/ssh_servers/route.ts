import { NextResponse } from "next/server";
import { readJson } from "~/server/rest";
import { withCaller } from "~/server/rest-caller";
import { sshServerBody } from "~/server/ssh-servers-rest";

export const GET = (req: Request) => withCaller(req, (api) => api.servers.list());

export async function POST(req: Request) {
  const body = await readJson(req, sshServerBody);
  if (body instanceof NextResponse) return body;
  return withCaller(req, (api) => api.servers.create(body), 201);
}
