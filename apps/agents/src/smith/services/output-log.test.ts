import fs from "node:fs";
import os from "node:os";
import path from "node:path";
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
});
