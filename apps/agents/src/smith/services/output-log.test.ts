import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { afterEach, describe, expect, it } from "vitest";
import { OutputLog } from "./output-log";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const tempLog = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "smith-output-log-"));
  dirs.push(dir);
  return path.join(dir, "output.log");
};

describe("output log", () => {
  it("writes every appended piece to disk in order, however many are pending", () => {
    for (const pieces of [1, 3, 600]) {
      const file = tempLog();
      const log = OutputLog.open(file);
      const parts = Array.from({ length: pieces }, (_, i) => Buffer.from(`piece ${i}|`));
      for (const p of parts) log.append(p);
      log.flush();
      expect(fs.readFileSync(file)).toEqual(Buffer.concat(parts));
      log.close();
    }
  });

  it("reads a range across pieces, optionally after room for a frame header", () => {
    const log = OutputLog.open(tempLog());
    for (const s of ["abc", "defg", "hi"]) log.append(Buffer.from(s));
    expect(log.readFully(1, 7).toString()).toBe("bcdefgh");
    const framed = log.readFully(2, 100, 8);
    expect(framed.length).toBe(8 + 7);
    expect(framed.subarray(8).toString()).toBe("cdefghi");
    // One piece, with headroom: still a copy with room in front, never the stored piece itself.
    expect(log.readFully(0, 3, 8).subarray(8).toString()).toBe("abc");
    log.close();
  });

  it("keeps batching disk writes once its memory is full, and serves what left memory from disk", () => {
    const file = tempLog();
    const log = OutputLog.open(file);
    // 5 MB in PTY-sized pieces: more than the 4 MB kept in memory.
    const pieces = Array.from({ length: 1280 }, (_, i) => Buffer.alloc(4096, 33 + (i % 90)));
    for (const p of pieces) log.append(p);
    log.append(Buffer.from("latest"));
    // A small piece waits for the next batched write; it used to be written at once, one write per piece.
    expect(fs.statSync(file).size).toBeLessThan(log.size);
    expect(log.readFully(log.size - 6, 6).toString()).toBe("latest");
    // The first megabyte left memory: it comes back from disk, exactly.
    expect(log.readFully(0, 8192)).toEqual(Buffer.concat(pieces.slice(0, 2)));
    log.close();
    // Buffer#equals: a deep toEqual on 5 MB takes half a minute.
    const disk = fs.readFileSync(file);
    expect(disk.length).toBe(1280 * 4096 + 6);
    expect(disk.equals(Buffer.concat([...pieces, Buffer.from("latest")]))).toBe(true);
  });

  it("serves exactly what was appended across the memory ring's wrap-around and growth, in copies of the reader's own", () => {
    const file = tempLog();
    const log = OutputLog.open(file);
    // Odd-sized pieces, so that reads and writes straddle the ring's end as it grows and then wraps.
    const pieces = Array.from({ length: 3000 }, (_, i) => Buffer.alloc(1000 + (i % 7) * 611, 33 + (i % 90)));
    const all = Buffer.concat(pieces);
    let at = 0;
    const earlier: { from: number; copy: Buffer }[] = [];
    for (const [i, p] of pieces.entries()) {
      log.append(p);
      at += p.length;
      if (i % 97 === 0) earlier.push({ from: Math.max(0, at - 70_000), copy: log.readFully(Math.max(0, at - 70_000), 70_000) });
    }
    // Reads from memory (the last 4 MB), from disk, and spanning both.
    for (const [from, len] of [[all.length - 5000, 5000], [all.length - 4_000_000, 300_000], [0, 200_000], [all.length - 4_300_000, 600_000]] as const) {
      expect(log.readFully(from, len).equals(all.subarray(from, from + len))).toBe(true);
    }
    // What a reader got earlier is its own: later output overwriting the ring does not change it.
    for (const { from, copy } of earlier) expect(copy.equals(all.subarray(from, from + copy.length))).toBe(true);
    // Beyond the end: only what exists.
    expect(log.readFully(all.length - 10, 100).equals(all.subarray(all.length - 10))).toBe(true);
    log.close();
    expect(fs.readFileSync(file).equals(all)).toBe(true);
  });

  it("writes a piece larger than its memory straight to disk, after what was pending", () => {
    const file = tempLog();
    const log = OutputLog.open(file);
    log.append(Buffer.from("before|"));
    const big = Buffer.alloc(5 * 1024 * 1024, "x");
    log.append(big);
    log.append(Buffer.from("|after"));
    expect(log.readFully(log.size - 10, 10).toString()).toBe("xxxx|after");
    expect(log.readFully(0, 10).toString()).toBe("before|xxx");
    log.close();
    expect(fs.readFileSync(file).equals(Buffer.concat([Buffer.from("before|"), big, Buffer.from("|after")]))).toBe(true);
  });

  it("tails a file something else appends to, without writing those bytes again", () => {
    const file = tempLog();
    fs.writeFileSync(file, "old|");
    const log = OutputLog.open(file);
    const seen: string[] = [];
    log.on("data", (buf, offset) => seen.push(`${offset}:${buf.toString()}`));
    fs.appendFileSync(file, "new output");
    expect(log.catchUp()).toBe(14);
    expect(log.readFully(4, 100).toString()).toBe("new output");
    log.end();
    log.close();
    expect(seen).toEqual(["4:new output"]);
    expect(fs.readFileSync(file, "utf8")).toBe("old|new output");
  });

  it("lets go of the output it kept in memory when it closes, even while something still points at it", async () => {
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as () => void;
    const log = OutputLog.open(tempLog());
    for (let i = 0; i < 16; i++) log.append(Buffer.alloc(256 * 1024, i));
    gc();
    const open = process.memoryUsage().arrayBuffers;
    log.close();
    // V8 frees the memory behind ArrayBuffers on a background thread after a GC: on a busy machine the
    // count drops a moment later. Asked again for up to 2 s, the freed amount must still reach 3.5 MB.
    let freed = 0;
    for (let i = 0; i < 100; i++) {
      gc();
      freed = open - process.memoryUsage().arrayBuffers;
      if (freed > 3.5 * 1024 * 1024) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // `log` is still referenced here (as a finished session's closures held it): its 4 MB must be gone.
    expect(freed).toBeGreaterThan(3.5 * 1024 * 1024);
    expect(log.ended).toBe(false);
  });
});
