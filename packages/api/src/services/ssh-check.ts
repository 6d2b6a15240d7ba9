// Checks SSH access to a customer server for real: connect with the stored key and run a command.
import type { ControlDb } from "@kayos/db/control";
import { verifyHostKey } from "@kayos/deploy";
import { Client } from "ssh2";

export interface SshCheck {
  ok: boolean;
  message: string;
  latencyMs: number;
  /** The host key the server showed (null when it never got that far). */
  hostKey: string | null;
}

export function checkSsh(opts: { host: string; port: number; user: string; privateKey: string; hostKey?: string | null; timeoutMs?: number }) {
  const started = performance.now();
  let seenKey: string | null = null;
  const done = (ok: boolean, message: string): SshCheck => ({ ok, message, latencyMs: Math.round(performance.now() - started), hostKey: seenKey });
  return new Promise<SshCheck>((resolve) => {
    const client = new Client();
    const finish = (result: SshCheck) => {
      client.end();
      resolve(result);
    };
    client.on("ready", () => {
      client.exec("echo kayos-ok && uname -sr", (error, stream) => {
        if (error) return finish(done(false, `Connected, but could not run a command: ${error.message}`));
        let out = "";
        stream.on("data", (d: Buffer) => (out += d.toString()));
        stream.on("close", (code: number) =>
          finish(
            code === 0 && out.startsWith("kayos-ok")
              ? done(true, `Connected as ${opts.user}: ${out.split("\n")[1]?.trim() ?? ""}`.trim())
              : done(false, `Connected, but the test command exited with ${code}`),
          ),
        );
      });
    });
    client.on("error", (error: Error & { level?: string; code?: string }) => {
      const reason =
        opts.hostKey && seenKey && seenKey !== opts.hostKey
          ? `the server showed host key ${seenKey}, not the pinned ${opts.hostKey}; if it was rebuilt, edit the server and tick “Trust a new host key” (over the API: send its ssh access again, the key may be left out)`
          : error.level === "client-authentication"
          ? `the server refused the key for user "${opts.user}"; check the user and that the public key is in authorized_keys`
          : error.code === "ECONNREFUSED"
            ? `nothing accepts SSH connections at ${opts.host}:${opts.port}`
            : error.message;
      finish(done(false, `SSH failed: ${reason}`));
    });
    try {
      client.connect({
        host: opts.host,
        port: opts.port,
        username: opts.user,
        privateKey: opts.privateKey,
        readyTimeout: opts.timeoutMs ?? 8000,
        hostVerifier: verifyHostKey(opts.hostKey, (shown) => (seenKey = shown)),
      });
    } catch (error) {
      finish(done(false, `SSH failed: ${(error as Error).message}`));
    }
  });
}

/** Records the server's host key if none is pinned yet (a concurrent first contact pins once). */
export async function pinHostKey(db: ControlDb, serverId: string, hostKey: string) {
  await db.customerServer.updateMany({ where: { id: serverId, sshHostKey: null }, data: { sshHostKey: hostKey } });
}
