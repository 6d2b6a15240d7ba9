// File events of a workspace via chokidar: create/change/delete, debounced per path, .git and
// node_modules ignored, paths relative to the workspace.
import type { SmithFileEvent } from "@kayos/contracts";
import { watch } from "chokidar";
import fs from "node:fs";
import path from "node:path";

const DEBOUNCE_MS = 100;

export function watchWorkspace(root: string, onEvents: (events: SmithFileEvent[]) => void, onReady?: () => void) {
  const pending = new Map<string, SmithFileEvent>();
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    const events = [...pending.values()];
    pending.clear();
    if (events.length > 0) onEvents(events);
  };
  const started = Date.now();
  // chokidar reports the symlinks its initial scan finds as added despite ignoreInitial (chokidar
  // #804, #1270): a link older than the watch is not news.
  const oldLink = (full: string) => {
    try {
      const st = fs.lstatSync(full);
      return st.isSymbolicLink() && st.ctimeMs < started;
    } catch {
      return false;
    }
  };
  const add = (type: SmithFileEvent["type"], kind: SmithFileEvent["kind"]) => (full: string) => {
    if (type === "create" && oldLink(full)) return;
    const rel = path.relative(root, full);
    const previous = pending.get(rel);
    // create then change inside one window is still a create; create then delete cancels out.
    if (previous?.type === "create" && type === "change") return;
    if (previous?.type === "create" && type === "delete") pending.delete(rel);
    else pending.set(rel, { type, path: rel, kind });
    timer ??= setTimeout(flush, DEBOUNCE_MS);
  };
  const watcher = watch(root, {
    ignoreInitial: true,
    followSymlinks: false,
    // Smith's own atomic-write temporaries are not the user's files.
    ignored: (p: string) => /(^|[\\/])(\.git|node_modules)([\\/]|$)|\.smith-[0-9a-f]{8}\.tmp$/.test(path.relative(root, p)),
  });
  watcher.on("add", add("create", "file")).on("addDir", add("create", "dir")).on("change", add("change", "file"));
  watcher.on("unlink", add("delete", "file")).on("unlinkDir", add("delete", "dir"));
  if (onReady) watcher.on("ready", onReady);
  watcher.on("error", () => undefined);
  return {
    close: async () => {
      clearTimeout(timer);
      await watcher.close();
    },
  };
}
