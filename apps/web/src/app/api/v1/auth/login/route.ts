import { authenticate, issueAccessToken } from "@kayos/api";
import { NextResponse } from "next/server";
import { z } from "zod";
import { db } from "~/server/db";
import { env } from "~/server/env";
import { readJson, restError } from "~/server/rest";

const body = z.object({ email: z.email(), password: z.string().min(1, "is required") });

/** The seed's `POST /api/v1/auth/login`: email and password in, a bearer token for /api/v1 out. */
export async function POST(req: Request) {
  const input = await readJson(req, body);
  if (input instanceof NextResponse) return input;
  const user = await authenticate(db(), input.email, input.password);
  if (!user) return restError(401, "invalid_credentials", "Wrong email or password");
  const { token, expiresIn } = await issueAccessToken(user.id, env().AUTH_SECRET);
  return NextResponse.json({ token, token_type: "Bearer", expires_in: expiresIn, user });
}
