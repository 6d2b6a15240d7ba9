// A real OpenSSH server for tests: Debian's sshd on a free loopback port, with a generated host key
// and a generated client key, in a temporary folder. Stop it with close().
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { freePort } from "../ports";

const SSHD = "/usr/sbin/sshd";

export interface TestSshd {
  host: string;
  port: number;
  user: string;
  /** OpenSSH private key accepted by the server. */
  privateKey: string;
  /** A key the server does not know, for refusal tests. */
  strangerKey: string;
  dir: string;
  close(): Promise<void>;
}

function keygen(file: string): string {
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", file]);
  return readFileSync(file, "utf8");
}

export async function startSshd(): Promise<TestSshd> {
  if (!existsSync(SSHD)) throw new Error(`${SSHD} not found: install Debian's openssh-server (apt-get install openssh-server)`);
  mkdirSync("/run/sshd", { recursive: true }); // sshd's privilege-separation directory
  const dir = mkdtempSync(path.join(os.tmpdir(), "kayos-sshd-"));
  const port = await freePort();
  keygen(path.join(dir, "host_key"));
  const privateKey = keygen(path.join(dir, "client_key"));
  const strangerKey = keygen(path.join(dir, "stranger_key"));
  writeFileSync(path.join(dir, "authorized_keys"), readFileSync(path.join(dir, "client_key.pub")));
  const config = path.join(dir, "sshd_config");
  writeFileSync(
    config,
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${path.join(dir, "host_key")}`,
      `PidFile ${path.join(dir, "sshd.pid")}`,
      `AuthorizedKeysFile ${path.join(dir, "authorized_keys")}`,
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "PubkeyAuthentication yes",
      "PermitRootLogin prohibit-password",
      "StrictModes no",
      "UsePAM no",
      "Subsystem sftp internal-sftp",
      "",
    ].join("\n"),
  );
  const child = spawn(SSHD, ["-D", "-e", "-f", config], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`sshd exited: ${stderr}`);
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (up) break;
    if (Date.now() > deadline) throw new Error(`sshd did not listen on ${port}: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    host: "127.0.0.1",
    port,
    user: os.userInfo().username,
    privateKey,
    strangerKey,
    dir,
    async close() {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
