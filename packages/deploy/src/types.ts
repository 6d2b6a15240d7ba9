// Wire contracts of a deployment: the control plane validates stored logs and results with these.
import { z } from "zod";

export const deployStepNames = [
  "connect",
  "upload",
  "configure",
  "switch",
  "restart",
  "health",
  "rollback",
  "done",
] as const;

export const deployStepSchema = z.object({
  step: z.enum(deployStepNames),
  status: z.enum(["running", "succeeded", "failed"]),
  message: z.string(),
  /** ISO 8601 timestamp. */
  at: z.iso.datetime(),
});
export type DeployStep = z.infer<typeof deployStepSchema>;
export type DeployStepName = DeployStep["step"];

export const deployResultSchema = z.object({
  status: z.enum(["succeeded", "rolled_back", "failed"]),
  /** The release deployed (or, for a rollback, the release rolled back to). */
  version: z.string(),
  /** The release `current` pointed to before this run. */
  previous: z.string().nullable(),
  log: z.array(deployStepSchema),
  error: z.string().optional(),
  /** The host key the server showed, when the connection got that far: pin it for the next run. */
  hostKey: z.string().nullable(),
});
export type DeployResult = z.infer<typeof deployResultSchema>;

/** A release folder name; it becomes a path segment on the server. */
export const versionSchema = z
  .string()
  .max(100, "Release versions are at most 100 characters")
  .regex(/^[A-Za-z0-9._-]+$/, "Release versions may only use letters, digits, '.', '_' and '-'")
  .refine(
    (v) => v !== "." && v !== ".." && !v.endsWith(".partial") && !v.endsWith(".tmp"),
    "This release version is reserved; pick another",
  );

export const sshTargetSchema = z.object({
  host: z.string().min(1, "The SSH host is missing"),
  port: z.number().int().min(1).max(65535).default(22),
  username: z.string().min(1, "The SSH user is missing"),
  privateKey: z.union([z.string().min(1), z.instanceof(Buffer)]),
  passphrase: z.string().optional(),
  /**
   * The server's pinned host key ("SHA256:…", as `ssh-keygen -lf` prints it). Set, a server that
   * shows another key is refused; unset, the key is accepted and reported (trust on first use).
   */
  hostKey: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, "A host key fingerprint looks like SHA256: and 43 base64 characters").optional(),
  /** Bounds the TCP connect plus SSH handshake. */
  timeoutMs: z.number().int().positive().default(10_000),
});
export type SshTarget = z.input<typeof sshTargetSchema>;

const relativeFile = z
  .string()
  .regex(
    /^(?:[A-Za-z0-9._-]+\/)*[A-Za-z0-9._-]+$/,
    "Extra files need a relative path of letters, digits, '.', '_', '-' and '/'",
  )
  .refine(
    (p) => !p.split("/").some((s) => s === "." || s === ".."),
    "Extra file paths may not contain '.' or '..' segments",
  );

const remoteRoot = z
  .string()
  .min(1, "The deploy root is missing")
  .refine((r) => !r.includes("\0") && !r.includes("\n"), "The deploy root may not contain control characters")
  .refine((r) => !/^~[^/]/.test(r), "Use ~/folder or an absolute path for the deploy root (~user is not supported)");

const common = {
  ssh: sshTargetSchema,
  root: remoteRoot,
  port: z.number().int().min(1).max(65535),
  healthTimeoutMs: z.number().int().positive().default(15_000),
  /** The remote Node.js; a non-login SSH command may have a shorter PATH than an interactive shell. */
  nodePath: z.string().min(1).default("node"),
};

export const deployInputSchema = z.object({
  ...common,
  releaseDir: z.string().min(1),
  files: z.record(relativeFile, z.string()).default({}),
  secrets: z.string(),
  version: versionSchema,
  /** Releases kept on the server; `current` and `previous` are never deleted. */
  keepReleases: z.number().int().min(2).default(5),
  /** "auto" uploads one tar.gz over SFTP and extracts it with the server's `tar` when it has one; "sftp" copies file by file. */
  transfer: z.enum(["auto", "sftp"]).default("auto"),
});

export const rollbackInputSchema = z.object({ ...common, to: versionSchema.optional() });
export const listInputSchema = z.object({ ssh: sshTargetSchema, root: remoteRoot });

interface Callbacks {
  onProgress?: (step: DeployStep) => void;
  /** Cancels the run while nothing on the server has changed yet; after the switch it runs to the end. */
  signal?: AbortSignal;
}
export type DeployOptions = z.input<typeof deployInputSchema> & Callbacks;
export type RollbackOptions = z.input<typeof rollbackInputSchema> & Callbacks;
export type ListReleasesOptions = z.input<typeof listInputSchema>;

export interface ReleaseList {
  current: string | null;
  previous: string | null;
  /** Newest first. */
  releases: string[];
}
