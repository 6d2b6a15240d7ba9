import type { NextConfig } from "next";

const config: NextConfig = {
  reactStrictMode: true,
  // Workspace packages ship TypeScript source.
  transpilePackages: ["@kayos/api", "@kayos/db", "@kayos/contracts", "@kayos/env", "@kayos/command-center", "@kayos/deploy"],
  // KayGraph's source imports its files as `./x.js` (Node ESM style), which Turbopack does not map to
  // `.ts`: the web uses its build (made at install and before every build).
  turbopack: { resolveAlias: { "@kayos/kaygraph": "../../packages/kaygraph/dist/index.js" } },
  // Native and driver packages stay plain Node requires on the server.
  serverExternalPackages: ["@node-rs/argon2", "@prisma/client", "@prisma/adapter-pg", "pg", "casbin", "ssh2"],
  poweredByHeader: false,
};

export default config;
