// Generates both Prisma clients (control plane and agent services) into src/generated/.
// Runs on `npm install` (root postinstall) so a fresh clone type-checks and runs at once.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { offlineEngineEnv } from "../src/prisma-offline";

const require = createRequire(import.meta.url);
const cli = path.join(path.dirname(require.resolve("prisma/package.json")), "build", "index.js");
const prismaDir = path.join(import.meta.dirname, "..", "prisma");

for (const kind of ["control", "agents"]) {
  const result = spawnSync(
    process.execPath,
    [cli, "generate", "--config", path.join(prismaDir, kind, "prisma.config.ts")],
    {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...offlineEngineEnv(), CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    },
  );
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout}${result.stderr}`);
    throw new Error(`prisma generate failed for the ${kind} schema`);
  }
  process.stdout.write(`@kayos/db: generated the ${kind} client\n`);
}
