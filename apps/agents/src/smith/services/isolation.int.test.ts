// The isolation wrapper itself, with a HOME of its own: what a wrapped program sees of Smith's HOME.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { detectIsolation, programFoldersIn } from "./isolation";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kayos-isolation-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("session isolation: HOME", () => {
  // Smith's HOME: a credential, and a program folder (as ~/.nvm/…/bin would be) that sessions need.
  const realHome = path.join(dir, "smith-home");
  fs.mkdirSync(path.join(realHome, ".ssh"), { recursive: true });
  fs.writeFileSync(path.join(realHome, ".ssh", "id_ed25519"), "host key\n");
  fs.mkdirSync(path.join(realHome, "tools", "bin"), { recursive: true });
  fs.writeFileSync(path.join(realHome, "tools", "bin", "hello"), "#!/bin/sh\necho hello-from-tools\n", { mode: 0o755 });
  const orgHome = path.join(dir, "homes", "org_a");
  fs.mkdirSync(orgHome, { recursive: true });
  fs.writeFileSync(path.join(orgHome, ".profile-of-a"), "a\n");

  it("keeps only program folders of Smith's HOME, outermost first", () => {
    expect(programFoldersIn(realHome, [path.join(realHome, "tools", "bin"), path.join(realHome, "tools", "bin", "sub"), "/usr/bin", realHome])).toEqual([
      fs.realpathSync(path.join(realHome, "tools", "bin")),
    ]);
    expect(programFoldersIn("/", ["/usr/bin"])).toEqual([]);
  });

  it("runs a program with its organization's HOME over Smith's: no credentials, program folders read-only, writes stay in the organization", () => {
    const isolation = detectIsolation("auto", [], { home: realHome, programFolders: [path.join(realHome, "tools", "bin")] });
    expect(isolation.mode).toBe("namespaces");
    const script = `ls -A "$H"; "$H/tools/bin/hello"; touch "$H/tools/bin/planted" 2>/dev/null && echo tools-writable; echo mine > "$H/.bashrc"; cat "$H/.ssh/id_ed25519" 2>/dev/null || echo no-ssh-key`;
    const [bin, ...args] = isolation.wrap(["/bin/sh", "-c", script], [], orgHome);
    const run = spawnSync(bin, args, { env: { PATH: process.env.PATH, H: realHome }, encoding: "utf8", timeout: 10_000 });
    expect(run.stderr).toBe("");
    expect(run.stdout.split("\n")).toEqual([".profile-of-a", "tools", "hello-from-tools", "no-ssh-key", ""]);
    // Smith's HOME is untouched; the organization's got the write.
    expect(fs.existsSync(path.join(realHome, ".bashrc"))).toBe(false);
    expect(fs.existsSync(path.join(realHome, "tools", "bin", "planted"))).toBe(false);
    expect(fs.readFileSync(path.join(orgHome, ".bashrc"), "utf8")).toBe("mine\n");
  });
});
