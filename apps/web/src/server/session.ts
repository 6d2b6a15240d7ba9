import "server-only";
import { getServerSession } from "next-auth";
import { connection } from "next/server";
import { authOptions } from "./auth-options";

export async function currentUserId(): Promise<string | null> {
  await connection(); // a session is per request: never prerender what reads it
  const session = await getServerSession(authOptions());
  return session?.user.id || null;
}
