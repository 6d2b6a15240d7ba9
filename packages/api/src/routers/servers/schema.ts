import { z } from "zod";

const serviceUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });

export const sshAccessInput = z.object({
  host: z.string().trim().min(1, "is required").max(255),
  port: z.number().int().min(1).max(65535).default(22),
  user: z.string().trim().min(1, "is required").max(64),
  privateKey: z.string().includes("PRIVATE KEY", { error: "must be a PEM or OpenSSH private key" }),
});

export const createServerInput = z.object({
  name: z.string().trim().min(1, "Give the server a name").max(80),
  nexusUrl: serviceUrl,
  smithUrl: serviceUrl,
  observerUrl: serviceUrl,
  apiKey: z.string().trim().min(16, "must be the agent services' API key (16+ characters)"),
  ssh: sshAccessInput.optional(),
});

export const updateServerInput = createServerInput
  .partial()
  .extend({ id: z.string(), ssh: sshAccessInput.nullable().optional() });

export type CreateServerInput = z.input<typeof createServerInput>;
