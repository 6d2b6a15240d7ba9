// The client: files of public/ held in memory, index.html carrying the branding for every page
// that is not an API route, so the sign-in page is branded before any API call.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import type { CommandCenterConfig } from "../config/schema";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".map": "application/json",
};
const CSP = "default-src 'self'; img-src 'self' data: https: http:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

export function brandedIndex(html: string, branding: CommandCenterConfig["branding"]): string {
  const c = branding.colors;
  const vars = [`--primary:${c.primary}`, c.background ? `--background:${c.background}` : "", c.text ? `--text:${c.text}` : ""].filter(Boolean).join(";");
  // JSON in a script element: escape "<" so the product name cannot close the element.
  const json = JSON.stringify(branding).replace(/</g, "\\u003c");
  const title = branding.product_name.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return html
    .replace(/<title>.*?<\/title>/, `<title>${title}</title>`)
    .replace("</head>", `<style>:root{${vars}}</style><script id="branding" type="application/json">${json}</script></head>`);
}

export function staticRoutes(app: FastifyInstance, publicDir: string, branding: CommandCenterConfig["branding"]) {
  const files = new Map<string, { body: Buffer; type: string }>();
  if (existsSync(publicDir)) {
    for (const name of readdirSync(publicDir)) {
      const type = TYPES[path.extname(name)];
      if (type && name !== "index.html") files.set(`/${name}`, { body: readFileSync(path.join(publicDir, name)), type });
    }
  }
  const indexFile = path.join(publicDir, "index.html");
  const index = existsSync(indexFile)
    ? brandedIndex(readFileSync(indexFile, "utf8"), branding)
    : "<!doctype html><title>Command Center</title><p>The client is not built: run <code>npm run build -w @kayos/command-center</code>.</p>";

  app.get("/*", async (request, reply) => {
    const route = request.url.split("?")[0]!;
    if (route.startsWith("/api/")) return reply.callNotFound();
    const file = files.get(route);
    if (file) {
      // Bundles carry a content hash in their names, so they can be cached for good.
      return reply.header("content-type", file.type).header("cache-control", "public, max-age=31536000, immutable").send(file.body);
    }
    if (path.extname(route)) return reply.callNotFound();
    return reply.header("content-type", TYPES[".html"]!).header("cache-control", "no-cache").header("content-security-policy", CSP).send(index);
  });
}
