import type { RouterOutputs } from "@kayos/api";
import {
  createServerInput,
  updateServerInput,
  type CreateServerInput,
  type UpdateServerInput,
} from "@kayos/api/routers/servers/schema";
import { fieldErrors } from "~/components/ui/field-errors";

export type Server = RouterOutputs["servers"]["list"][number];

/** What the add and edit forms hold: text as typed, turned into the contracts' inputs on submit. */
export type ServerFormValues = {
  name: string;
  nexusUrl: string;
  smithUrl: string;
  observerUrl: string;
  apiKey: string;
  sshHost: string;
  sshPort: string;
  sshUser: string;
  sshPrivateKey: string;
  removeSsh: boolean;
  trustNewHostKey: boolean;
};

const URL_FIELDS = ["nexusUrl", "smithUrl", "observerUrl"] as const;

export const FIELD_LABELS = {
  name: "Name",
  nexusUrl: "KayNexus URL",
  smithUrl: "KaySmith URL",
  observerUrl: "CodingObserver URL",
  apiKey: "API key",
} as const;

export const emptyServerForm: ServerFormValues = {
  name: "",
  nexusUrl: "",
  smithUrl: "",
  observerUrl: "",
  apiKey: "",
  sshHost: "",
  sshPort: "22",
  sshUser: "",
  sshPrivateKey: "",
  removeSsh: false,
  trustNewHostKey: false,
};

/** The public fields only: stored keys are never sent to the browser, so their inputs start empty ("keep"). */
export function serverFormFrom(server: Server): ServerFormValues {
  return {
    ...emptyServerForm,
    name: server.name,
    nexusUrl: server.nexusUrl,
    smithUrl: server.smithUrl,
    observerUrl: server.observerUrl,
    sshHost: server.sshHost ?? "",
    sshPort: String(server.sshPort ?? 22),
    sshUser: server.sshUser ?? "",
  };
}

// A blank port means SSH's default; anything else goes to the schema as typed so it can say what is wrong.
const port = (text: string) => (text.trim() ? Number(text.trim()) : undefined);
const filled = (text: string) => text.trim() !== "";

function sshAccess(v: ServerFormValues) {
  return {
    host: v.sshHost,
    port: port(v.sshPort),
    user: v.sshUser,
    privateKey: filled(v.sshPrivateKey) ? v.sshPrivateKey : undefined,
  };
}

export function validateCreate(v: ServerFormValues) {
  const anySsh = filled(v.sshHost) || filled(v.sshUser) || filled(v.sshPrivateKey);
  const input: CreateServerInput = {
    name: v.name,
    nexusUrl: v.nexusUrl,
    smithUrl: v.smithUrl,
    observerUrl: v.observerUrl,
    apiKey: v.apiKey,
    // Filling any SSH field means the builder wants SSH access: the schema then names what is missing.
    ...(anySsh ? { ssh: { ...sshAccess(v), privateKey: v.sshPrivateKey } } : {}),
  };
  return fieldErrors(createServerInput, input);
}

/** Whether the SSH part of an edit changes anything: undefined keeps it, null removes it. */
function sshChange(server: Server, v: ServerFormValues): UpdateServerInput["ssh"] {
  const access = sshAccess(v);
  if (!server.sshHost) return filled(v.sshHost) || filled(v.sshUser) || filled(v.sshPrivateKey) ? access : undefined;
  if (v.removeSsh) return null;
  const changed =
    v.sshHost.trim() !== server.sshHost ||
    (access.port ?? 22) !== server.sshPort ||
    v.sshUser.trim() !== server.sshUser ||
    access.privateKey !== undefined ||
    v.trustNewHostKey;
  return changed ? access : undefined;
}

/** Only what the builder changed goes to `servers.update`; empty key fields keep the stored keys. */
export function validateUpdate(server: Server, v: ServerFormValues) {
  const input: UpdateServerInput = { id: server.id };
  if (v.name.trim() !== server.name) input.name = v.name;
  for (const key of URL_FIELDS) if (v[key].trim() !== server[key]) input[key] = v[key];
  if (filled(v.apiKey)) input.apiKey = v.apiKey;
  const ssh = sshChange(server, v);
  if (ssh !== undefined) input.ssh = ssh;
  const result = fieldErrors(updateServerInput, input);
  if (ssh && !ssh.privateKey && !server.sshHost) {
    return {
      data: null,
      errors: { ...result.errors, "ssh.privateKey": "Paste the private key: this server has none stored yet" },
    };
  }
  return result;
}

/** "name, KayNexus URL and SSH access" — what a saved update changed, for the confirmation. */
export function describeUpdate(input: UpdateServerInput) {
  const parts: string[] = [];
  if (input.name !== undefined) parts.push("name");
  for (const key of URL_FIELDS) if (input[key] !== undefined) parts.push(FIELD_LABELS[key]);
  if (input.apiKey !== undefined) parts.push("new API key");
  if (input.ssh === null) parts.push("SSH access removed");
  else if (input.ssh) parts.push("SSH access (the host key is pinned again on the next connection)");
  return parts.length > 1 ? `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}` : (parts[0] ?? "");
}
