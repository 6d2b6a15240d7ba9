// Prisma CLI config for the control database. The JavaScript schema engine (through the pg driver
// adapter) lets migrate deploy/diff run on machines that cannot download Prisma's native engine.
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(import.meta.dirname, "schema.prisma"),
  migrations: { path: path.join(import.meta.dirname, "migrations") },
  adapter: async () => 
    // A short idle timeout lets the CLI exit as soon as it is done instead of after pg's 10 s default.
    new PrismaPg({ connectionString: process.env.DATABASE_URL ?? "", idleTimeoutMillis: 200 }),
});
