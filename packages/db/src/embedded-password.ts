// The embedded PostgreSQL's password lives beside its data folder (`<dataDir>.password`, 0600),
// made at random on first start: programs that agents run can reach 127.0.0.1, and a password
// everyone knows would open every organization's data to them. Kept apart from embedded.ts so
// that reading it does not load the PostgreSQL binaries' package.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export const passwordFileOf = (dataDir: string) => `${path.resolve(dataDir)}.password`;

/** The password of the embedded server whose data is in `dataDir`, once it has been started. */
export function readEmbeddedPassword(dataDir: string): string | undefined {
  const file = passwordFileOf(dataDir);
  return existsSync(file) ? readFileSync(file, "utf8").trim() : undefined;
}
