import { NextResponse } from "next/server";
import { openApiDocument } from "~/server/openapi";
import packageJson from "../../../../../package.json";

/** The REST surface's OpenAPI document. */
export const GET = () => NextResponse.json(openApiDocument(packageJson.version));
