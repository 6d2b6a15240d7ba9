// Where the agent services keep their files by default: under <repo>/.data, so a fresh clone runs
// as is. WORKSPACE_ROOT is shared by Smith (sessions work there) and Observer (snapshots of them).
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");
export const dataDir = (...parts: string[]) => path.join(repoRoot, ".data", ...parts);
export const DEFAULT_WORKSPACE_ROOT = dataDir("workspaces");
