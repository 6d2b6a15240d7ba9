// After a Claude Code run: keep a copy of its JSONL transcript with the session's output and hand
// it to Observer (token usage and cost per model response), retrying while Observer is away.
import fs from "node:fs";
import path from "node:path";
import type { SessionRow } from "../store/sessions";
import type { ManagerDeps } from "./session-manager";
import { organizationFolder } from "./workspace";

/** Where the CLI writes a run's transcript: projects/<cwd with non-alphanumerics as '-'>/<id>.jsonl. */
export function transcriptPath(configDir: string, cwd: string, agentSessionId: string) {
  return path.join(configDir, "projects", cwd.replace(/[^A-Za-z0-9]/g, "-"), `${agentSessionId}.jsonl`);
}

export async function handOverTranscript(deps: ManagerDeps, row: SessionRow, agentSessionId: string) {
  const configDir = path.join(deps.config.SMITH_DATA_DIR, "claude", organizationFolder(row.organizationId));
  const source = transcriptPath(configDir, row.workspacePath, agentSessionId);
  if (!fs.existsSync(source)) {
    deps.logger.warn(`smith: no transcript for session ${row.id} at ${source}`);
    return;
  }
  const kept = path.join(deps.config.SMITH_DATA_DIR, "sessions", row.id, "transcript.jsonl");
  fs.copyFileSync(source, kept);
  const { reporter } = deps;
  if (!reporter.url) return;
  const body = fs.readFileSync(kept);
  for (let attempt = 0, delay = 500; attempt < 8; attempt++, delay = Math.min(delay * 2, 15_000)) {
    try {
      const key = await reporter.keyFor(row.organizationId);
      const res = await fetch(`${reporter.url}/api/v1/transcripts/claude-code?attribute_to=${encodeURIComponent(row.id)}`, {
        method: "POST",
        headers: { "content-type": "application/x-ndjson", authorization: `Bearer ${key}` },
        body,
        signal: AbortSignal.timeout(30_000),
      });
      if (res.ok || (res.status >= 400 && res.status < 500 && res.status !== 401 && res.status !== 429)) {
        if (!res.ok) deps.logger.warn(`smith: Observer refused the transcript of ${row.id}: ${res.status} ${(await res.text()).slice(0, 200)}`);
        else await res.arrayBuffer();
        await deps.store.update(row.id, { settings: { ...(row.settings as object), transcript_reported: res.ok } });
        return;
      }
    } catch {
      // Observer away: try again
    }
    await new Promise((r) => setTimeout(r, delay));
  }
  deps.logger.warn(`smith: could not hand the transcript of ${row.id} to Observer; it is kept at ${kept}`);
}
