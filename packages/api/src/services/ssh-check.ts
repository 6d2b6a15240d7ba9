// Checks SSH access to a customer server for real: connect with the stored key and run a command.
import { Client } from "ssh2";

export interface SshCheck {
  ok: boolean;
  message: string;
  latencyMs: number;
}

export function checkSsh(opts: { host: string; port: number; user: string; privateKey: string; timeoutMs?: number }) {
  const started = performance.now();
  const done = (ok: boolean, message: string): SshCheck => ({ ok, message, latencyMs: Math.round(performance.now() - started) });
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
        error.level === "client-authentication"
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
      });
    } catch (error) {
      finish(done(false, `SSH failed: ${(error as Error).message}`));
    }
  });
}
