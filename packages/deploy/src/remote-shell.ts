// Builds remote POSIX shell commands: every path and value goes through quote(), never bare.
import path from "node:path";

/** Quotes one word for a POSIX shell: wrapped in single quotes, each ' written as '\''. */
export function quote(value: string): string {
  if (value.includes("\0")) throw new Error("A shell argument cannot contain a NUL byte");
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Resolves the deploy root against the remote home: "~", "~/x" and relative paths are home-based. */
export function resolveRoot(root: string, home: string): string {
  const rest = root === "~" ? "" : root.startsWith("~/") ? root.slice(2) : root;
  const absolute = path.posix.isAbsolute(rest) ? rest : path.posix.join(home, rest);
  const normalized = path.posix.normalize(absolute);
  return normalized.length > 1 ? normalized.replace(/\/+$/, "") : normalized;
}

/** Where everything lives under the deploy root. */
export function layout(root: string) {
  const shared = `${root}/shared`;
  return {
    root,
    releases: `${root}/releases`,
    release: (version: string) => `${root}/releases/${version}`,
    current: `${root}/current`,
    previous: `${root}/previous`,
    shared,
    data: `${shared}/data`,
    secrets: `${shared}/secrets.json`,
    pidFile: `${shared}/app.pid`,
    appLog: `${shared}/app.log`,
  };
}
export type Layout = ReturnType<typeof layout>;
