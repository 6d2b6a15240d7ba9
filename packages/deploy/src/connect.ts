// The connect step shared by deploy, rollback and listing: log in, then learn what the server has
// (home folder for ~, uid/gid for the tar headers, tar, node) before anything is changed.
import type { z } from "zod";
import { DeployError } from "./errors";
import type { Progress } from "./progress";
import { layout, quote, resolveRoot, type Layout } from "./remote-shell";
import { SshSession } from "./ssh-session";
import type { sshTargetSchema } from "./types";

export interface Server {
  session: SshSession;
  layout: Layout;
  hasTar: boolean;
  owner: { uid: number; gid: number };
  nodeVersion: string;
}

export async function connectServer(
  ssh: z.output<typeof sshTargetSchema>,
  root: string,
  opts: { nodePath?: string; signal?: AbortSignal },
): Promise<Server> {
  const session = await SshSession.connect(ssh, opts.signal);
  try {
    const out = await session.run(
      [
        `printf 'home=%s\\nuid=%s\\ngid=%s\\n' "$HOME" "$(id -u)" "$(id -g)"`,
        `command -v tar >/dev/null 2>&1 && echo tar=yes`,
        opts.nodePath ? `printf 'node=%s\\n' "$(${quote(opts.nodePath)} --version 2>/dev/null)"` : "true",
      ].join("\n"),
      { label: "Inspecting the server", signal: opts.signal },
    );
    const facts = new Map(
      out.split("\n").map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)] as const),
    );
    const home = facts.get("home") ?? "";
    if (!home.startsWith("/"))
      throw new DeployError(
        `The SSH user on ${session.describe} has no home folder; use an absolute deploy root`,
        "connect",
      );
    const nodeVersion = facts.get("node") ?? "";
    if (opts.nodePath && !nodeVersion) {
      throw new DeployError(
        `Node.js was not found on the server as "${opts.nodePath}" — install Node.js 20+ there, or set its full path (a non-interactive SSH command may not see nvm's PATH)`,
        "connect",
      );
    }
    return {
      session,
      layout: layout(resolveRoot(root, home)),
      hasTar: facts.get("tar") === "yes",
      owner: { uid: Number(facts.get("uid")) || 0, gid: Number(facts.get("gid")) || 0 },
      nodeVersion,
    };
  } catch (error) {
    session.close();
    throw error;
  }
}

/** connectServer as a reported step. */
export function connectStep(
  progress: Progress,
  ssh: z.output<typeof sshTargetSchema>,
  root: string,
  opts: { nodePath: string; signal?: AbortSignal },
) {
  return progress.step("connect", `Connecting to ${ssh.username}@${ssh.host}:${ssh.port}`, async () => {
    const server = await connectServer(ssh, root, opts);
    return {
      value: server,
      message: `Connected to ${server.session.describe} (Node.js ${server.nodeVersion}${server.hasTar ? ", tar" : ""}); deploy root ${server.layout.root}`,
    };
  });
}
