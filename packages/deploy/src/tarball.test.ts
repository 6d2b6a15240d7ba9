import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { buffer } from "node:stream/consumers";
import { afterAll, describe, expect, it } from "vitest";
import { fitsTar, tarGzStream } from "./tarball";

const dir = mkdtempSync(path.join(os.tmpdir(), "kayos-tar-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("tarGzStream", () => {
  it("writes an archive GNU tar extracts with the same content, folders and modes", async () => {
    const src = path.join(dir, "script.sh");
    writeFileSync(src, "#!/bin/sh\necho hi\n".repeat(100));
    const deep = `${"d".repeat(60)}/${"e".repeat(60)}/${"f".repeat(60)}`;
    const big = Buffer.alloc(70_000, 7);
    const archive = await buffer(
      tarGzStream(
        [
          { name: "config", type: "dir", mode: 0o755 },
          { name: "config/agents.json", type: "file", mode: 0o644, source: { data: Buffer.from('{"a":1}') } },
          { name: "bin.sh", type: "file", mode: 0o755, source: { path: src } },
          { name: "empty", type: "file", mode: 0o644, source: { data: Buffer.alloc(0) } },
          { name: "big.bin", type: "file", mode: 0o644, source: { data: big } },
          { name: deep, type: "dir", mode: 0o755 },
          { name: `${deep}/long-name.txt`, type: "file", mode: 0o644, source: { data: Buffer.from("deep") } },
        ],
        { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 },
      ),
    );
    const out = path.join(dir, "out");
    mkdirSync(out);
    writeFileSync(path.join(dir, "a.tar.gz"), archive);
    execFileSync("tar", ["-xzf", path.join(dir, "a.tar.gz"), "-C", out]);
    expect(readFileSync(path.join(out, "config/agents.json"), "utf8")).toBe('{"a":1}');
    expect(readFileSync(path.join(out, "bin.sh"))).toEqual(readFileSync(src));
    expect(statSync(path.join(out, "bin.sh")).mode & 0o777).toBe(0o755);
    expect(statSync(path.join(out, "empty")).size).toBe(0);
    expect(readFileSync(path.join(out, "big.bin"))).toEqual(big);
    expect(readFileSync(path.join(out, deep, "long-name.txt"), "utf8")).toBe("deep");
  });

  it("reports paths that cannot fit a ustar header", () => {
    expect(fitsTar(["a/b.txt", `${"x".repeat(150)}/${"y".repeat(90)}`])).toBe(true);
    expect(fitsTar(["z".repeat(101)])).toBe(false);
  });
});
