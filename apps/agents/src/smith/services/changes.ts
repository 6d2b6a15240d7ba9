// What a session changed in its workspace: its base snapshot against the workspace now or, once the
// session ended, against the final snapshot taken then (later edits by other sessions stay out).
// Patches are unified diffs, capped per file and in total; binary files have none.
import type { SmithChangedFile, SmithChanges } from "@kayos/contracts";
import { HttpError } from "../../shared/errors";
import type { ShadowRepos, SnapshotSession } from "./shadow-repo";
import { splitZ } from "./git";

export const PATCH_FILE_MAX = 64 * 1024;
export const PATCH_TOTAL_MAX = 1024 * 1024;

const STATUS: Record<string, SmithChangedFile["status"]> = { A: "added", C: "added", D: "deleted", M: "modified", T: "modified", R: "renamed" };
const DIFF = ["diff-tree", "-r", "-M", "--no-color", "--no-ext-diff", "--no-textconv"];

export async function sessionChanges(repos: ShadowRepos, session: SnapshotSession & { ended: boolean }): Promise<SmithChanges> {
  if (!(await repos.available())) {
    throw new HttpError(503, "git is not installed on the Smith host (or SMITH_GIT_PATH is wrong), so changes are not tracked; install git");
  }
  const target = repos.target(session);
  const base = await repos.resolve(target, repos.ref(session, "base"));
  if (!base) return { session_id: session.id, base: null, files_changed: 0, lines_added: 0, lines_removed: 0, files: [] };
  // Without a final snapshot (Smith stopped before the session ended) the workspace now is the best answer.
  const final = session.ended ? await repos.resolve(target, repos.ref(session, "final")) : null;
  const head = final ?? (await repos.treeNow(session));

  return diffTrees((args, extra) => repos.git(target, args, extra), session.id, base, head);
}

type Git = (args: string[], extra?: { onData?: (chunk: Buffer) => boolean }) => Promise<Buffer>;

/** The files changed between two trees (or commits) of one repository, with capped unified diffs. */
export async function diffTrees(git: Git, sessionId: string, base: string, head: string): Promise<SmithChanges> {
  const files = parseRawNumstat(splitZ(await git([...DIFF, "--raw", "--numstat", "-z", base, head])));
  const patches = new PatchCollector();
  await git([...DIFF, "-p", "--src-prefix=a/", "--dst-prefix=b/", base, head], { onData: (chunk) => patches.push(chunk) });
  patches.end();
  // Sections pair with files by position only when git printed one per file.
  const paired = patches.sections.length === files.length || patches.spent;
  files.forEach((file, i) => {
    if (file.added === null) return;
    const section = paired ? patches.sections[i] : undefined;
    file.patch = section?.text ?? null;
    file.truncated = section ? section.truncated : true;
  });
  return {
    session_id: sessionId,
    base,
    files_changed: files.length,
    lines_added: files.reduce((n, f) => n + (f.added ?? 0), 0),
    lines_removed: files.reduce((n, f) => n + (f.removed ?? 0), 0),
    files,
  };
}

/** `--raw --numstat -z`: every file's raw record (status, paths), then every file's line counts. */
function parseRawNumstat(tokens: string[]): SmithChangedFile[] {
  const files: SmithChangedFile[] = [];
  let i = 0;
  while (i < tokens.length && tokens[i]!.startsWith(":")) {
    const letter = tokens[i]!.split(" ").at(-1)!.charAt(0);
    const twoPaths = letter === "R" || letter === "C";
    const from = tokens[i + 1]!;
    const to = twoPaths ? tokens[i + 2]! : from;
    files.push({ path: to, old_path: twoPaths ? from : null, status: STATUS[letter] ?? "modified", added: null, removed: null, patch: null, truncated: false });
    i += twoPaths ? 3 : 2;
  }
  for (const file of files) {
    const [added, removed, inline] = (tokens[i] ?? "").split("\t");
    i += inline === "" ? 3 : 1;
    // Binary files count as `-`: no line counts and no patch.
    if (added !== "-" && added !== undefined) file.added = Number(added);
    if (removed !== "-" && removed !== undefined) file.removed = Number(removed);
  }
  return files;
}

/** Splits `diff-tree -p` output into one section per file (in the raw output's order), keeping whole lines within the caps. */
class PatchCollector {
  readonly sections: { text: string | null; truncated: boolean }[] = [];
  private lines: Buffer[] = [];
  private size = 0;
  private cut = false;
  private started = false;
  spent = false;
  private total = 0;
  private pending: Buffer = Buffer.alloc(0);

  /** Returns false once the total budget is spent: git can stop, later files get no patch. */
  push(chunk: Buffer): boolean {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    let start = 0;
    for (let nl = this.pending.indexOf(10); nl !== -1 && !this.spent; nl = this.pending.indexOf(10, start)) {
      this.line(this.pending.subarray(start, nl + 1));
      start = nl + 1;
    }
    this.pending = this.pending.subarray(start);
    return !this.spent;
  }

  end() {
    if (this.pending.length && !this.spent) this.line(this.pending);
    if (this.started) this.close();
  }

  private line(line: Buffer) {
    if (line.subarray(0, 11).toString() === "diff --git ") {
      if (this.started) this.close();
      this.started = true;
    }
    if (this.cut) return;
    if (this.total + line.length > PATCH_TOTAL_MAX) this.spent = true;
    if (this.spent || this.size + line.length > PATCH_FILE_MAX) {
      this.cut = true;
      return;
    }
    this.lines.push(line);
    this.size += line.length;
    this.total += line.length;
  }

  private close() {
    this.sections.push({ text: this.lines.length ? Buffer.concat(this.lines).toString("utf8") : null, truncated: this.cut });
    this.lines = [];
    this.size = 0;
    this.cut = false;
  }
}
