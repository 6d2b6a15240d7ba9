import { z } from "zod";

// Messages are whole sentences saying what to enter: the web shows them next to the field, REST after its path.
const serviceUrl = z.url({
  protocol: /^https?$/,
  error: "Enter an http:// or https:// URL, like http://10.0.0.5:8000",
});

// A DNS name or an IPv4/IPv6 address; anything else would only fail later, at the first SSH connection.
const hostName =
  /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$|^[0-9a-f]*:[0-9a-f:.]*$/i;
const port = "Enter a port number from 1 to 65535 (SSH usually listens on 22)";

const privateKey = z.string({ error: "Paste the private key" }).includes("PRIVATE KEY", {
  error: "Paste a private key in PEM or OpenSSH format (it starts with -----BEGIN … PRIVATE KEY-----)",
});

export const sshAccessInput = z.object({
  host: z
    .string({ error: "Enter the host name or IP address" })
    .trim()
    .min(1, "Enter the host name or IP address")
    .max(255, "Host names are at most 255 characters")
    .regex(hostName, "Enter a host name or IP address, like vm.example.com or 203.0.113.10 (no spaces or symbols)"),
  port: z.number({ error: port }).int().min(1).max(65535).default(22),
  user: z
    .string({ error: "Enter the user to sign in as" })
    .trim()
    .min(1, "Enter the user to sign in as, like deploy")
    .max(64, "User names are at most 64 characters"),
  privateKey,
});

const name = z
  .string({ error: "Give the server a name" })
  .trim()
  .min(1, "Give the server a name")
  .max(80, "Keep the name to 80 characters or fewer");

export const createServerInput = z.object({
  name,
  nexusUrl: serviceUrl,
  smithUrl: serviceUrl,
  observerUrl: serviceUrl,
  apiKey: z
    .string({ error: "Paste the agent services' API key" })
    .trim()
    .min(16, "Paste the agent services' API key (16 characters or more)"),
  ssh: sshAccessInput.optional(),
});

/** Omitted fields keep their value; `ssh: null` removes SSH access; an SSH change without a key keeps the stored key. */
export const updateServerInput = createServerInput.partial().extend({
  id: z.string(),
  ssh: sshAccessInput.extend({ privateKey: privateKey.optional() }).nullable().optional(),
});

export type CreateServerInput = z.input<typeof createServerInput>;
export type UpdateServerInput = z.input<typeof updateServerInput>;
