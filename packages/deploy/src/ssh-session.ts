// One SSH connection for a deployment: connect with translated errors, run commands with a timeout,
// a bounded output and their exit code, and write files over SFTP.
import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Client, type ClientChannel, type SFTPWrapper } from "ssh2";
import type { z } from "zod";
import { DeployError } from "./errors";
import { seconds } from "./progress";
import type { sshTargetSchema } from "./types";

type SshTargetConfig = z.output<typeof sshTargetSchema>;

const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "ECONNRESET",
]);
const MAX_OUTPUT = 64 * 1024;

export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  /** Names the command in errors ("Extracting the release"), never its text. */
  label: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

const tail = (text: string) => (text.length > MAX_OUTPUT ? text.slice(-MAX_OUTPUT) : text);

/** OpenSSH's fingerprint of a host key: SHA256 of the key blob, base64 without padding. */
const fingerprint = (key: Buffer) => `SHA256:${createHash("sha256").update(key).digest("base64").replace(/=+$/, "")}`;

/**
 * ssh2's hostVerifier: reports the fingerprint the server showed, and accepts it when nothing is
 * pinned (trust on first use) or when it is the pinned one.
 */
export function verifyHostKey(pinned: string | null | undefined, seen: (fingerprint: string) => void) {
  return (key: Buffer) => {
    const shown = fingerprint(key);
    seen(shown);
    return !pinned || shown === pinned;
  };
}

function connectError(error: Error & { level?: string; code?: string }, t: SshTargetConfig, seenKey: string | null): DeployError {
  const where = `${t.host}:${t.port}`;
  if (t.hostKey && seenKey && seenKey !== t.hostKey) {
    return new DeployError(
      `The server at ${where} showed host key ${seenKey}, not the pinned ${t.hostKey}. If the server was rebuilt, edit it on the Servers page and tick “Trust a new host key” (over the API: send its ssh access again); otherwise someone may be intercepting the connection`,
      "connect",
      { cause: error },
    );
  }
  if (error.level === "client-authentication") {
    return new DeployError(
      `The server refused the SSH key for ${t.username}@${where} — check the key saved for this server`,
      "connect",
      { cause: error },
    );
  }
  if (error.code && UNREACHABLE.has(error.code)) {
    return new DeployError(`Could not reach ${where} (${error.code}) — check the host and port`, "connect", {
      cause: error,
    });
  }
  if (/timed out while waiting for handshake/i.test(error.message)) {
    return new DeployError(
      `Could not reach ${where} (no SSH answer within ${seconds(t.timeoutMs)}) — check the host, the port and the firewall`,
      "connect",
      { cause: error },
    );
  }
  if (/privateKey|private key|passphrase/i.test(error.message)) {
    return new DeployError(
      `The SSH key saved for this server is not a usable private key (${error.message}) — save the key again`,
      "connect",
      { cause: error },
    );
  }
  return new DeployError(`SSH connection to ${where} failed: ${error.message}`, "connect", { cause: error });
}

export class SshSession {
  private sftpChannel: Promise<SFTPWrapper> | undefined;
  private closed = false;

  private constructor(
    private readonly client: Client,
    readonly target: SshTargetConfig,
    /** The fingerprint of the host key the server showed. */
    readonly hostKey: string,
  ) {
    client.on("close", () => (this.closed = true));
    // Errors after login surface through the command that was running; keep them from crashing the process.
    client.on("error", () => (this.closed = true));
  }

  get describe() {
    return `${this.target.username}@${this.target.host}:${this.target.port}`;
  }

  static connect(target: SshTargetConfig, signal?: AbortSignal): Promise<SshSession> {
    return new Promise((resolve, reject) => {
      const client = new Client();
      let settled = false;
      let seenKey: string | null = null;
      const fail = (error: DeployError) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener("abort", onAbort);
        client.end();
        reject(error);
      };
      const onAbort = () => fail(new DeployError("The deployment was cancelled while connecting", "connect"));
      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
      client.once("ready", () => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener("abort", onAbort);
        resolve(new SshSession(client, target, seenKey ?? ""));
      });
      client.on("error", (error: Error & { level?: string; code?: string }) => fail(connectError(error, target, seenKey)));
      client.on("close", () =>
        fail(
          new DeployError(
            `${target.host}:${target.port} closed the SSH connection during login — check that it is an SSH server`,
            "connect",
          ),
        ),
      );
      try {
        client.connect({
          host: target.host,
          port: target.port,
          username: target.username,
          privateKey: target.privateKey,
          passphrase: target.passphrase,
          readyTimeout: target.timeoutMs,
          hostVerifier: verifyHostKey(target.hostKey, (shown) => (seenKey = shown)),
          keepaliveInterval: 5_000,
          keepaliveCountMax: 3,
        });
      } catch (error) {
        fail(connectError(error as Error, target, seenKey));
      }
    });
  }

  exec(command: string, opts: ExecOptions): Promise<ExecResult> {
    const timeoutMs = opts.timeoutMs ?? 30_000;
    return new Promise((resolve, reject) => {
      if (this.closed)
        return reject(new DeployError(`The SSH connection to ${this.describe} was lost before: ${opts.label}`));
      let channel: ClientChannel | undefined;
      let settled = false;
      let stdout = "";
      let stderr = "";
      let code: number | null = null;
      const finish = (error?: DeployError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        opts.signal?.removeEventListener("abort", onAbort);
        if (error) {
          channel?.close();
          reject(error);
        } else resolve({ code, stdout, stderr });
      };
      const timer = setTimeout(
        () => finish(new DeployError(`${opts.label} did not finish within ${seconds(timeoutMs)} on ${this.describe}`)),
        timeoutMs,
      );
      const onAbort = () => finish(new DeployError(`The deployment was cancelled during: ${opts.label}`));
      if (opts.signal?.aborted) return onAbort();
      opts.signal?.addEventListener("abort", onAbort, { once: true });
      try {
        this.client.exec(command, (error, stream) => {
          if (error)
            return finish(
              new DeployError(
                `Could not run a command on ${this.describe} (${opts.label}): ${error.message}`,
                undefined,
                { cause: error },
              ),
            );
          channel = stream;
          stream.on("data", (d: Buffer) => (stdout = tail(stdout + d.toString())));
          stream.stderr.on("data", (d: Buffer) => (stderr = tail(stderr + d.toString())));
          stream.on("exit", (exitCode: number | null) => (code = exitCode));
          stream.on("close", () =>
            code === null && this.closed
              ? finish(
                  new DeployError(
                    `The SSH connection to ${this.describe} was lost during: ${opts.label} — check the server and try again`,
                  ),
                )
              : finish(),
          );
          stream.end();
        });
      } catch (error) {
        finish(
          new DeployError(
            `The SSH connection to ${this.describe} was lost (${opts.label}): ${(error as Error).message}`,
            undefined,
            { cause: error },
          ),
        );
      }
    });
  }

  /** Runs a command that must succeed; the error carries the last lines it printed. */
  async run(command: string, opts: ExecOptions): Promise<string> {
    const result = await this.exec(command, opts);
    if (result.code !== 0) {
      const output = (result.stderr.trim() || result.stdout.trim()).split("\n").slice(-10).join("\n");
      throw new DeployError(
        `${opts.label} failed on the server (exit ${result.code ?? "by signal"})${output ? `: ${output}` : ""}`,
      );
    }
    return result.stdout;
  }

  sftp(): Promise<SFTPWrapper> {
    this.sftpChannel ??= new Promise((resolve, reject) =>
      this.client.sftp((error, sftp) =>
        error
          ? reject(
              new DeployError(
                `The server at ${this.describe} does not offer SFTP (${error.message}) — enable the sftp subsystem in sshd_config`,
                undefined,
                { cause: error },
              ),
            )
          : resolve(sftp),
      ),
    );
    return this.sftpChannel;
  }

  /** Writes a file with the given mode from the start, so it is never readable by others even briefly. */
  async writeFile(remotePath: string, data: string | Buffer, mode: number, label: string): Promise<void> {
    const sftp = await this.sftp();
    await new Promise<void>((resolve, reject) =>
      sftp.writeFile(remotePath, data, { mode }, (error) =>
        error ? reject(new DeployError(`${label} failed: ${error.message}`, undefined, { cause: error })) : resolve(),
      ),
    );
    // The server applies its umask to the mode given at creation; chmod makes the mode exact.
    await new Promise<void>((resolve, reject) =>
      sftp.chmod(remotePath, mode, (error) =>
        error ? reject(new DeployError(`${label} failed: ${error.message}`)) : resolve(),
      ),
    );
  }

  /** Streams into a new remote file (the release bundle), with backpressure from the SFTP channel. */
  async putStream(source: Readable, remotePath: string, mode: number, label: string): Promise<void> {
    const sftp = await this.sftp();
    try {
      await pipeline(source, sftp.createWriteStream(remotePath, { mode }));
    } catch (error) {
      throw new DeployError(`${label} failed: ${(error as Error).message}`, undefined, { cause: error });
    }
  }

  async putFile(localPath: string, remotePath: string, mode: number, label: string): Promise<void> {
    const sftp = await this.sftp();
    await new Promise<void>((resolve, reject) =>
      sftp.fastPut(localPath, remotePath, { mode }, (error) =>
        error ? reject(new DeployError(`${label} failed: ${error.message}`, undefined, { cause: error })) : resolve(),
      ),
    );
  }

  close() {
    this.closed = true;
    this.client.end();
  }
}
