// A minimal ustar writer, so a release streams to the server as one gzip'd tar without a local `tar`
// binary or a temporary archive. Regular files and folders only, which is all a release holds.
import { readFile } from "node:fs/promises";
import { Readable, pipeline } from "node:stream";
import { createGzip } from "node:zlib";

export interface TarEntry {
  /** Relative path with "/" separators; folders end without a slash. */
  name: string;
  type: "file" | "dir";
  mode: number;
  /** Content: a local file to read or the bytes themselves. */
  source?: { path: string } | { data: Buffer };
}

const BLOCK = 512;

function splitName(name: string): { name: string; prefix: string } | null {
  if (Buffer.byteLength(name) <= 100) return { name, prefix: "" };
  // ustar keeps long paths as prefix (<=155 bytes) + "/" + name (<=100 bytes), split at a slash.
  for (let i = name.indexOf("/"); i !== -1; i = name.indexOf("/", i + 1)) {
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100) return { name: rest, prefix };
  }
  return null;
}

/** Whether every path fits a ustar header (else the caller copies file by file). */
export const fitsTar = (names: string[]) => names.every((n) => splitName(n) !== null);

function octal(value: number, width: number) {
  return value.toString(8).padStart(width - 1, "0") + "\0";
}

export function tarHeader(entry: {
  name: string;
  type: "file" | "dir";
  mode: number;
  size: number;
  mtime: number;
  uid: number;
  gid: number;
}): Buffer {
  const parts = splitName(entry.name);
  if (!parts) throw new Error(`The path ${entry.name} is too long for a tar archive`);
  const header = Buffer.alloc(BLOCK);
  header.write(parts.name, 0, 100, "utf8");
  header.write(octal(entry.mode & 0o7777, 8), 100, "ascii");
  header.write(octal(entry.uid, 8), 108, "ascii");
  header.write(octal(entry.gid, 8), 116, "ascii");
  header.write(octal(entry.type === "file" ? entry.size : 0, 12), 124, "ascii");
  header.write(octal(Math.floor(entry.mtime / 1000), 12), 136, "ascii");
  header.write("        ", 148, "ascii"); // the checksum is computed with its own field as spaces
  header.write(entry.type === "file" ? "0" : "5", 156, "ascii");
  header.write("ustar\0", 257, "ascii");
  header.write("00", 263, "ascii");
  header.write(parts.prefix, 345, 155, "utf8");
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(octal(sum, 7) + " ", 148, "ascii");
  return header;
}

async function* tarBlocks(entries: TarEntry[], owner: { uid: number; gid: number }) {
  const mtime = Date.now();
  for (const entry of entries) {
    const data =
      entry.type === "dir" || !entry.source
        ? Buffer.alloc(0)
        : "data" in entry.source
          ? entry.source.data
          : await readFile(entry.source.path);
    yield tarHeader({ name: entry.name, type: entry.type, mode: entry.mode, size: data.length, mtime, ...owner });
    if (data.length) {
      yield data;
      const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
      if (pad) yield Buffer.alloc(pad);
    }
  }
  yield Buffer.alloc(BLOCK * 2); // end of archive
}

/** A gzip'd tar stream of the entries, owned by the given remote uid/gid. */
export function tarGzStream(entries: TarEntry[], owner: { uid: number; gid: number }): Readable {
  const gzip = createGzip();
  // pipeline() destroys the gzip stream with the error of a file that cannot be read, so the reader sees it.
  pipeline(Readable.from(tarBlocks(entries, owner)), gzip, () => undefined);
  return gzip;
}
