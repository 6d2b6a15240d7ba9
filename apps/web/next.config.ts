import type { NextConfig } from "next";

const config: NextConfig = {
  reactStrictMode: true,
  // Workspace packages ship TypeScript source.
  transpilePackages: ["@kayos/api", "@kayos/db", "@kayos/contracts", "@kayos/env"],
  // Native and driver packages stay plain Node requires on the server.
  serverExternalPackages: ["@node-rs/argon2", "@prisma/client", "@prisma/adapter-pg", "pg", "casbin", "ssh2"],
  poweredByHeader: false,
};

export default config;
