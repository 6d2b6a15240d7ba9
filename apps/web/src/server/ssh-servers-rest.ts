import "server-only";
import { z } from "zod";

// The seed's ssh_servers payload (snake_case) onto the servers procedures' input.
const sshFields = { host: z.string(), port: z.number().optional(), user: z.string() };
const ssh = z
  .object({ ...sshFields, private_key: z.string() })
  .transform(({ private_key, ...rest }) => ({ ...rest, privateKey: private_key }));
/** A change keeps the stored key unless a new one is sent (re-sending the access trusts a new host key). */
const sshChange = z
  .object({ ...sshFields, private_key: z.string().optional() })
  .transform(({ private_key, ...rest }) => ({ ...rest, privateKey: private_key }));

export const sshServerBody = z
  .object({
    name: z.string(),
    nexus_url: z.string(),
    smith_url: z.string(),
    observer_url: z.string(),
    api_key: z.string(),
    ssh: ssh.optional(),
  })
  .transform(({ nexus_url, smith_url, observer_url, api_key, ...rest }) => ({
    ...rest,
    nexusUrl: nexus_url,
    smithUrl: smith_url,
    observerUrl: observer_url,
    apiKey: api_key,
  }));

export const sshServerPatch = z
  .object({
    name: z.string().optional(),
    nexus_url: z.string().optional(),
    smith_url: z.string().optional(),
    observer_url: z.string().optional(),
    api_key: z.string().optional(),
    ssh: sshChange.nullable().optional(),
  })
  .transform(({ nexus_url, smith_url, observer_url, api_key, ...rest }) => ({
    ...rest,
    nexusUrl: nexus_url,
    smithUrl: smith_url,
    observerUrl: observer_url,
    apiKey: api_key,
  }));
