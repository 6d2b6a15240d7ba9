import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptions } from "~/server/auth-options";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

const handler = (req: NextRequest, ctx: RouteContext) => NextAuth(req, ctx, authOptions());
export { handler as GET, handler as POST };
