import { authenticate, issueAccessToken } from "@kayos/api";
import { NextResponse } from "next/server";
import { db } from "~/server/db";
import { env } from "~/server/env";
import { readJson, restError } from "~/server/rest";
import { loginBody } from "~/server/rest-bodies";

/** The seed's `POST /api/v1/auth/login`: email and password in, a bearer token for /api/v1 out. */
export async function POST(req: Request) {
  const input = await readJson(req, loginBody);
  if (input instanceof NextResponse) return input;
  const user = await authenticate(db(), input.email, input.password);
  if (!user) return restError(401, "invalid_credentials", "Wrong email or password");
  const { token, expiresIn } = await issueAccessToken(user.id, env().AUTH_SECRET);
  return NextResponse.json({ token, token_type: "Bearer", expires_in: expiresIn, user });
}
