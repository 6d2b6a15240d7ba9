// The releases on the server and the `current` / `previous` links that choose one. Links are
// relative (releases/<v>) so the deploy root can be moved, and replaced with rename(2) so there is
// never a moment without one.
import { DeployError } from "./errors";
import { quote, type Layout } from "./remote-shell";
import type { SshSession } from "./ssh-session";
import { versionSchema, type ReleaseList } from "./types";

const releaseOf = (link: string) => {
  const name = link.trim().replace(/\/+$/, "").split("/").pop() ?? "";
  return name && versionSchema.safeParse(name).success ? name : null;
};

export async function readReleases(session: SshSession, layout: Layout): Promise<ReleaseList> {
  const out = await session.run(
    [
      `cd ${quote(layout.root)} 2>/dev/null || exit 0`,
      `printf 'current=%s\\n' "$(readlink current 2>/dev/null)"`,
      `printf 'previous=%s\\n' "$(readlink previous 2>/dev/null)"`,
      // ls -t: newest first by the folder's time, which upload sets when the release is complete.
      `ls -1t releases 2>/dev/null || true`,
    ].join("\n"),
    { label: "Listing the releases" },
  );
  const lines = out.split("\n").filter(Boolean);
  const value = (key: string) => releaseOf(lines.find((l) => l.startsWith(`${key}=`))?.slice(key.length + 1) ?? "");
  const releases = lines.filter((l) => !l.includes("=") && versionSchema.safeParse(l).success);
  const current = value("current");
  return { current: current && releases.includes(current) ? current : null, previous: value("previous"), releases };
}

/** Points `current` at the release and records `previous` (or removes it when null). */
export async function switchTo(session: SshSession, layout: Layout, version: string, previous: string | null) {
  const link = (name: string, target: string) =>
    `ln -sfn ${quote(`releases/${target}`)} ${name}.tmp && mv -T ${name}.tmp ${name}`;
  const code = (
    await session.exec(
      [
        `cd ${quote(layout.root)}`,
        `[ -d ${quote(`releases/${version}`)} ] || exit 3`,
        link("current", version),
        previous && previous !== version ? link("previous", previous) : "rm -f previous",
      ].join(" && "),
      { label: `Switching current to ${version}` },
    )
  ).code;
  if (code === 3)
    throw new DeployError(
      `Release ${version} does not exist on the server — list the releases and pick one of them`,
      "switch",
    );
  if (code !== 0)
    throw new DeployError(
      `Could not switch current to ${version} (exit ${code}) — check that the SSH user owns ${layout.root}`,
      "switch",
    );
}

/** Leaves no `current` when nothing is serving, so the list never names a dead release as current. */
export async function clearCurrent(session: SshSession, layout: Layout) {
  await session.run(`rm -f ${quote(layout.current)}`, { label: "Removing the current link" });
}

/** Deletes the oldest releases beyond `keep`, never one named in `protect`. */
export async function pruneReleases(
  session: SshSession,
  layout: Layout,
  keep: number,
  protect: (string | null)[],
): Promise<string[]> {
  const { releases } = await readReleases(session, layout);
  const kept = new Set(protect.filter((v): v is string => v !== null));
  const doomed: string[] = [];
  let count = releases.length;
  for (const name of [...releases].reverse()) {
    if (count <= keep) break;
    if (kept.has(name)) continue;
    doomed.push(name);
    count--;
  }
  if (doomed.length)
    await session.run(`rm -rf ${doomed.map((v) => quote(layout.release(v))).join(" ")}`, {
      label: "Deleting old releases",
      timeoutMs: 60_000,
    });
  return doomed;
}
