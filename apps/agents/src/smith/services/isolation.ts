// What a session's processes can see. Paths in the API are confined to the workspace, but the
// programs run as Smith's user: without this a session could list every organization's workspaces,
// read other sessions' output logs under SMITH_DATA_DIR and other processes' /proc entries.
// In `namespaces` mode each session runs under unshare(1) in its own mount and PID namespaces: the
// hidden folders (WORKSPACE_ROOT, SMITH_DATA_DIR, SMITH_ISOLATION_HIDE) are covered by empty tmpfs
// mounts, only the session's own folders (its organization's workspaces, its session folder) are
// mounted back, and /proc shows only the session's processes; when the session ends the kernel ends
// every process in its PID namespace, setsid or not. HOME is the organization's own folder
// (SMITH_DATA_DIR/homes/<org>): without it every organization's sessions would share Smith's
// HOME — its ~/.ssh and credentials, and a ~/.bashrc one organization could plant for the next.
// Program folders inside the real HOME (a PATH entry such as ~/.nvm/…/bin) stay visible, read-only.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { isInside } from "./workspace";

export type IsolationSetting = "auto" | "namespaces" | "off";

export interface Isolation {
  mode: "namespaces" | "off";
  reason: string;
  /** The argv that runs `argv` isolated, seeing only `keep` of the hidden folders and `home` as HOME. */
  wrap(argv: [string, ...string[]], keep: string[], home?: string): [string, ...string[]];
}

// Stage the folders to keep on a private tmpfs, cover the hidden ones, move the kept ones back to
// their paths, then become the program. `set -e`: a mount that fails stops the session instead of
// running it unisolated.
const SCRIPT = `set -e
n=$1; shift; i=0
mount -t tmpfs -o size=1m,mode=700 smith-stage /mnt
while [ $i -lt $n ]; do mkdir /mnt/$i; mount --bind "$1" /mnt/$i; eval "k$i=\\$1"; shift; i=$((i+1)); done
r=$1; shift; j=0
while [ $j -lt $r ]; do mkdir /mnt/r$j; mount --bind "$1" /mnt/r$j; mount -o remount,bind,ro /mnt/r$j; eval "q$j=\\$1"; shift; j=$((j+1)); done
hs=$1; hd=$2; shift 2
if [ -n "$hs" ]; then mkdir /mnt/home; mount --bind "$hs" /mnt/home; fi
h=$1; shift; j=0
while [ $j -lt $h ]; do mount -t tmpfs -o size=1m,mode=755 smith-hidden "$1"; shift; j=$((j+1)); done
if [ -n "$hs" ]; then mkdir -p "$hd"; mount --move /mnt/home "$hd"; fi
i=0
while [ $i -lt $n ]; do eval "k=\\$k$i"; mkdir -p "$k"; mount --move /mnt/$i "$k"; i=$((i+1)); done
j=0
while [ $j -lt $r ]; do eval "q=\\$q$j"; mkdir -p "$q"; mount --move /mnt/r$j "$q"; j=$((j+1)); done
umount /mnt
set +e
exec "$@"`;

/** unshare's options: as root directly, otherwise inside a user namespace that maps Smith's user. */
const unshareArgs = () => [...(process.getuid?.() === 0 ? [] : ["--map-current-user"]), "--mount", "--pid", "--fork", "--kill-child", "--mount-proc"];

/** Outermost existing folders only: a tmpfs over a folder already covered would find no mount point. */
function outermost(dirs: string[]): string[] {
  const real = [...new Set(dirs.filter((d) => fs.existsSync(d)).map((d) => fs.realpathSync(d)))].sort((a, b) => a.length - b.length);
  return real.filter((d, i) => !real.slice(0, i).some((outer) => isInside(outer, d)));
}

const realIfExists = (p: string) => (fs.existsSync(p) ? fs.realpathSync(p) : undefined);

/**
 * Folders of programs inside the real HOME that sessions need (PATH entries, Node's own folder):
 * kept visible, read-only, over the organization's HOME. Outermost first, existing ones only.
 */
export function programFoldersIn(home: string, candidates: string[]): string[] {
  const realHome = realIfExists(home);
  if (!realHome || realHome === "/") return [];
  const inside = candidates.map(realIfExists).filter((p): p is string => !!p && p !== realHome && isInside(realHome, p));
  return outermost(inside);
}

export function detectIsolation(
  setting: IsolationSetting,
  hide: string[],
  opts: { unshare?: string; home?: string; programFolders?: string[] } = {},
): Isolation {
  const unshare = opts.unshare ?? "unshare";
  const realHome = opts.home ? realIfExists(opts.home) : undefined;
  const readOnly = realHome ? programFoldersIn(realHome, opts.programFolders ?? []) : [];
  const off = (reason: string): Isolation => ({ mode: "off", reason, wrap: (argv) => argv });
  if (setting === "off") return off("SMITH_ISOLATION=off: sessions see the whole machine as Smith's user does");
  const probe = spawnSync(unshare, [...unshareArgs(), "--", "/bin/sh", "-c", "mount -t tmpfs smith-probe /mnt"], { stdio: "ignore", timeout: 5000 });
  if (probe.status !== 0) {
    const why = `unshare could not make mount and PID namespaces here (${probe.error ? "unshare is not installed" : `exit ${probe.status}`}; as a non-root user it needs unprivileged user namespaces)`;
    if (setting === "namespaces") throw new Error(`SMITH_ISOLATION=namespaces but ${why}`);
    return off(`${why}: sessions see the whole machine as Smith's user does`);
  }
  return {
    mode: "namespaces",
    reason: `each session sees only its organization's workspaces, its own processes${realHome ? " and its organization's HOME" : ""} (mount and PID namespaces)`,
    wrap: (argv, keep, home): [string, ...string[]] => {
      const kept = [...new Set(keep.filter((k) => fs.existsSync(k)).map((k) => fs.realpathSync(k)))];
      const hidden = outermost(hide);
      const homeMount = home && realHome && realHome !== "/" ? [fs.realpathSync(home), realHome] : ["", ""];
      const ro = homeMount[0] ? readOnly : [];
      return [unshare, ...unshareArgs(), "--", "/bin/sh", "-c", SCRIPT, "smith-isolate", String(kept.length), ...kept, String(ro.length), ...ro, ...homeMount, String(hidden.length), ...hidden, ...argv];
    },
  };
}

/** The folders a session keeps: its organization's workspaces, its own folder, and where it runs. */
export const keptFolders = (orgRoot: string, sessionDir: string, extra: string[]) => [orgRoot, sessionDir, ...extra].map((p) => path.resolve(p));
