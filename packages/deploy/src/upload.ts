// Uploads a release into releases/<version>.partial and renames it to releases/<version> only when
// complete, so a failed upload never leaves a half release under a version name.
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { DeployError, messageOf } from "./errors";
import { formatBytes } from "./progress";
import { quote, type Layout } from "./remote-shell";
import type { SshSession } from "./ssh-session";
import { fitsTar, tarGzStream, type TarEntry } from "./tarball";

export interface ReleaseBundle {
  entries: TarEntry[];
  files: number;
  bytes: number;
}

/** Lists the local release folder plus the generated extra files (which win over same-named files). */
export async function collectRelease(releaseDir: string, extra: Record<string, string>): Promise<ReleaseBundle> {
  const hasServer = await stat(path.join(releaseDir, "server.mjs")).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!hasServer)
    throw new DeployError(
      `The release folder ${releaseDir} has no server.mjs — build the Command Center release first`,
      "upload",
    );
  const entries = new Map<string, TarEntry>();
  let bytes = 0;
  const walk = async (dir: string, prefix: string) => {
    for (const item of await readdir(dir, { withFileTypes: true })) {
      const local = path.join(dir, item.name);
      const name = prefix ? `${prefix}/${item.name}` : item.name;
      const info = await stat(local); // follows symlinks: the server gets the files they point to
      if (info.isDirectory()) {
        entries.set(name, { name, type: "dir", mode: 0o755 });
        await walk(local, name);
      } else if (info.isFile()) {
        entries.set(name, { name, type: "file", mode: info.mode & 0o100 ? 0o755 : 0o644, source: { path: local } });
        bytes += info.size;
      }
    }
  };
  await walk(releaseDir, "");
  for (const [name, content] of Object.entries(extra)) {
    const parts = name.split("/");
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join("/");
      if (entries.get(dir)?.type === "file")
        throw new DeployError(`The extra file ${name} collides with the release file ${dir}`, "upload");
      entries.set(dir, { name: dir, type: "dir", mode: 0o755 });
    }
    const data = Buffer.from(content, "utf8");
    entries.set(name, { name, type: "file", mode: 0o644, source: { data } });
    bytes += data.length;
  }
  // Parents before children, as tar and mkdir need.
  const sorted = [...entries.values()].sort(
    (a, b) => a.name.split("/").length - b.name.split("/").length || a.name.localeCompare(b.name),
  );
  return { entries: sorted, files: sorted.filter((e) => e.type === "file").length, bytes };
}

export interface UploadTarget {
  layout: Layout;
  version: string;
  useTar: boolean;
  owner: { uid: number; gid: number };
  signal?: AbortSignal;
}

/** One gzip'd tar over SFTP next to the release folder, extracted on the server, then deleted. */
async function viaTar(session: SshSession, bundle: ReleaseBundle, partial: string, t: UploadTarget) {
  const archive = `${partial}.tar.gz`;
  await session.putStream(tarGzStream(bundle.entries, t.owner), archive, 0o600, "Uploading the release bundle");
  if (t.signal?.aborted) throw new DeployError("The deployment was cancelled during the upload", "upload");
  await session.run(`tar -xzf ${quote(archive)} -C ${quote(partial)} && rm -f ${quote(archive)}`, {
    label: "Extracting the release",
    timeoutMs: 60_000 + (bundle.bytes / (1024 * 1024)) * 1000,
    signal: t.signal,
  });
}

async function viaSftp(session: SshSession, bundle: ReleaseBundle, partial: string, t: UploadTarget) {
  const dirs = bundle.entries.filter((e) => e.type === "dir").map((e) => quote(`${partial}/${e.name}`));
  if (dirs.length)
    await session.run(`mkdir -p ${dirs.join(" ")}`, { label: "Creating the release folders", signal: t.signal });
  for (const entry of bundle.entries) {
    if (t.signal?.aborted) throw new DeployError("The deployment was cancelled during the upload", "upload");
    if (entry.type !== "file" || !entry.source) continue;
    const remote = `${partial}/${entry.name}`;
    const label = `Uploading ${entry.name}`;
    if ("data" in entry.source) await session.writeFile(remote, entry.source.data, entry.mode, label);
    else await session.putFile(entry.source.path, remote, entry.mode, label);
  }
}

/** Returns how the files went up ("one tar.gz" or "file by file"). */
export async function uploadRelease(session: SshSession, bundle: ReleaseBundle, t: UploadTarget): Promise<string> {
  const final = t.layout.release(t.version);
  const partial = `${final}.partial`;
  const prepared = await session.exec(
    `mkdir -p ${quote(t.layout.releases)} && if [ -e ${quote(final)} ]; then exit 3; fi && rm -rf ${quote(partial)} && mkdir ${quote(partial)}`,
    { label: "Preparing the release folder", signal: t.signal },
  );
  if (prepared.code === 3)
    throw new DeployError(
      `Release ${t.version} already exists on the server — deploy under a new version, or roll back to it`,
      "upload",
    );
  if (prepared.code !== 0)
    throw new DeployError(
      `Could not create ${partial} on the server: ${prepared.stderr.trim() || `exit ${prepared.code}`} — check that the SSH user may write there`,
      "upload",
    );
  const useTar = t.useTar && fitsTar(bundle.entries.map((e) => e.name));
  try {
    await (useTar ? viaTar : viaSftp)(session, bundle, partial, t);
    // touch: the folder's time orders releases (newest first) for pruning and rollback.
    await session.run(`touch ${quote(partial)} && mv -T ${quote(partial)} ${quote(final)}`, {
      label: "Renaming the uploaded release",
    });
  } catch (error) {
    await session
      .exec(`rm -rf ${quote(partial)} ${quote(`${partial}.tar.gz`)}`, { label: "Removing the partial upload", timeoutMs: 15_000 })
      .catch(() => undefined);
    throw new DeployError(`Upload of release ${t.version} failed: ${messageOf(error)}`, "upload", { cause: error });
  }
  return useTar ? "over SFTP as one tar.gz" : "file by file over SFTP";
}

export const describeBundle = (b: ReleaseBundle) => `${b.files} files (${formatBytes(b.bytes)})`;
