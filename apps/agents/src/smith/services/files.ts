// Reading, writing and listing files inside a session's workspace (every path confined first).
import { isBase64 } from "@kayos/contracts";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { HttpError } from "../../shared/errors";
import { confine } from "./workspace";

type Encoding = "utf8" | "base64";
const LIST_MAX = 5000;
const IGNORED = new Set([".git", "node_modules"]);

export function readFile(workspace: string, input: string, encoding: Encoding, maxBytes: number) {
  const { abs, rel } = confine(workspace, input);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(abs);
  } catch {
    throw new HttpError(404, `path ${input} does not exist`);
  }
  if (!stat.isFile()) throw new HttpError(400, `path ${input} is not a file`);
  if (stat.size > maxBytes) throw new HttpError(413, `path ${input} is ${stat.size} bytes, over the ${maxBytes}-byte limit (SMITH_FILE_MAX_BYTES)`);
  const buf = fs.readFileSync(abs);
  return { path: rel, encoding, content: buf.toString(encoding), size: buf.length };
}

/** Writes to a temporary file beside the target, then renames: readers see the old or the new file, never half. */
export function writeFile(workspace: string, input: string, content: string, encoding: Encoding, createDirs: boolean, maxBytes: number) {
  if (encoding === "base64" && !isBase64(content)) {
    throw new HttpError(400, "content is not valid base64");
  }
  const buf = Buffer.from(content, encoding);
  if (buf.length > maxBytes) throw new HttpError(413, `content is ${buf.length} bytes, over the ${maxBytes}-byte limit (SMITH_FILE_MAX_BYTES)`);
  const { abs, rel } = confine(workspace, input);
  const dir = path.dirname(abs);
  const parentIsFile = () => new HttpError(400, `path ${input} cannot be written: a folder on its way is a file`);
  if (!fs.existsSync(dir)) {
    if (!createDirs) throw new HttpError(404, `folder ${path.dirname(rel)} does not exist (send create_dirs: true to create it)`);
    try {
      fs.mkdirSync(dir, { recursive: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOTDIR" || (error as NodeJS.ErrnoException).code === "EEXIST") throw parentIsFile();
      throw error;
    }
    confine(workspace, input); // the new folders must still resolve inside
  } else if (!fs.statSync(dir).isDirectory()) throw parentIsFile();
  if (fs.existsSync(abs) && fs.statSync(abs).isDirectory()) throw new HttpError(400, `path ${input} is a folder`);
  const tmp = path.join(dir, `.${path.basename(abs)}.smith-${randomBytes(4).toString("hex")}.tmp`);
  try {
    fs.writeFileSync(tmp, buf, { flag: "wx" });
    fs.renameSync(tmp, abs);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
  return { path: rel, size: buf.length };
}

export function listFiles(workspace: string, input: string, recursive: boolean) {
  const { abs, rel } = confine(workspace, input);
  if (!fs.existsSync(abs)) throw new HttpError(404, `path ${input} does not exist`);
  if (!fs.statSync(abs).isDirectory()) throw new HttpError(400, `path ${input} is not a folder`);
  const root = fs.realpathSync(workspace);
  const entries: { path: string; type: "file" | "dir" | "symlink" | "other"; size: number; modified_at: string }[] = [];
  const walk = (dir: string) => {
    for (const d of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entries.length >= LIST_MAX) return;
      const full = path.join(dir, d.name);
      let stat: fs.Stats;
      try {
        stat = fs.lstatSync(full);
      } catch {
        continue;
      }
      const type = d.isSymbolicLink() ? "symlink" : d.isDirectory() ? "dir" : d.isFile() ? "file" : "other";
      entries.push({ path: path.relative(root, full), type, size: stat.size, modified_at: stat.mtime.toISOString() });
      // Never follow symlinks while walking: they could lead outside.
      if (recursive && type === "dir" && !IGNORED.has(d.name)) walk(full);
    }
  };
  walk(abs);
  return { path: rel, entries, truncated: entries.length >= LIST_MAX };
}
