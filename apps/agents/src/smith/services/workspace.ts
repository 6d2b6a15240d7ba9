// Where a session's files live, and the confinement of every path to them. A session's workspace
// is a folder inside its organization's root: WORKSPACE_ROOT/<org>/<workspace name>. The seed's
// absolute names (`/tmp/test-workspace`) are names too: `tmp/test-workspace` inside that root,
// never the host path. Nothing outside the organization's root is reachable.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { HttpError } from "../../shared/errors";

/** A folder name for an organization id that cannot collide with another id or escape the root. */
export function organizationFolder(organizationId: string): string {
  if (/^[A-Za-z0-9_-]{1,100}$/.test(organizationId)) return organizationId;
  const safe = organizationId.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 60);
  return `${safe}~${createHash("sha256").update(organizationId).digest("hex").slice(0, 16)}`;
}

/** Longest file name Linux takes (NAME_MAX, in bytes). */
const NAME_MAX = 255;

function refuseLongNames(what: string, input: string, parts: string[]) {
  const long = parts.find((p) => Buffer.byteLength(p) > NAME_MAX);
  if (long) throw new HttpError(400, `${what} ${input} has a name over ${NAME_MAX} bytes (${long.slice(0, 24)}…)`);
}

/** The normalized workspace name (`/tmp/test-workspace` -> `tmp/test-workspace`); 400 when unusable. */
export function workspaceName(input: string): string {
  const parts = input.split(/[\\/]+/).filter((p) => p !== "" && p !== ".");
  if (parts.some((p) => p === "..")) throw new HttpError(400, `workspace ${JSON.stringify(input)} must not contain '..'`);
  if (parts.some((p) => p.includes("\0"))) throw new HttpError(400, "workspace must not contain NUL bytes");
  if (parts.length === 0) throw new HttpError(400, `workspace ${JSON.stringify(input)} names no folder`);
  refuseLongNames("workspace", JSON.stringify(input), parts);
  return parts.join("/");
}

/** Creates (if needed) and returns the real path of the workspace, checked to be inside the org root. */
export function ensureWorkspace(root: string, organizationId: string, name: string): string {
  const orgRoot = path.join(root, organizationFolder(organizationId));
  fs.mkdirSync(orgRoot, { recursive: true });
  const realOrgRoot = fs.realpathSync(orgRoot);
  // Create one level at a time so a symlink planted inside the root cannot redirect the mkdir.
  let current = realOrgRoot;
  for (const part of name.split("/")) {
    const next = path.join(current, part);
    if (!fs.existsSync(next)) {
      // existsSync follows links: a link that points nowhere is there for mkdir, but leads nowhere.
      if (isLink(next)) throw new HttpError(403, `workspace ${name} is a symlink that points nowhere`);
      fs.mkdirSync(next);
    }
    current = fs.realpathSync(next);
    if (!isInside(realOrgRoot, current)) throw new HttpError(403, `workspace ${name} resolves outside the organization's workspace root`);
    if (!fs.statSync(current).isDirectory()) throw new HttpError(400, `workspace ${name} is not a folder`);
  }
  return current;
}

function isLink(p: string) {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

export function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/**
 * Resolves a caller's path inside the workspace. Refuses (403, naming the path) absolute paths, `..`
 * that leaves the workspace, and anything whose real path (symlinks followed, for the deepest part
 * that exists) is outside it. Returns the path to use and the workspace-relative form.
 */
export function confine(workspace: string, input: string): { abs: string; rel: string } {
  if (input.includes("\0")) throw new HttpError(400, "path must not contain NUL bytes");
  if (path.isAbsolute(input) || /^[A-Za-z]:[\\/]/.test(input)) {
    throw new HttpError(403, `path ${input} is absolute; paths are relative to the session's workspace`);
  }
  refuseLongNames("path", input, input.split(/[\\/]+/));
  const root = fs.realpathSync(workspace);
  const abs = path.resolve(root, input);
  if (!isInside(root, abs)) throw new HttpError(403, `path ${input} escapes the session's workspace`);
  // Follow symlinks for the deepest existing ancestor (or the path itself).
  let probe = abs;
  while (!fs.existsSync(probe) && probe !== root) {
    // lstat sees a dangling symlink that existsSync reports as missing
    try {
      fs.lstatSync(probe);
      throw new HttpError(403, `path ${input} is a symlink that points outside the session's workspace or nowhere`);
    } catch (error) {
      if (error instanceof HttpError) throw error;
    }
    probe = path.dirname(probe);
  }
  if (!isInside(root, fs.realpathSync(probe))) throw new HttpError(403, `path ${input} resolves outside the session's workspace (symlink)`);
  return { abs, rel: path.relative(root, abs) || "." };
}
