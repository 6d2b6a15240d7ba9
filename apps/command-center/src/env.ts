// Where the server finds its files: paths from the environment, defaults relative to the folder
// of the server file (a release lives at <root>/releases/<version>/, shared files at <root>/shared/).
import path from "node:path";
import { z } from "zod";

const envSchema = z.object({
  KAYOS_CC_CONFIG: z.string().min(1).default("config/agents.json"),
  KAYOS_CC_SECRETS: z.string().min(1).default("../../shared/secrets.json"),
  KAYOS_CC_DATA: z.string().min(1).default("../../shared/data"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3400),
  HOST: z.string().min(1).default("127.0.0.1"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export function settingsFrom(env: NodeJS.ProcessEnv, serverDir: string) {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid environment:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`);
  }
  const e = parsed.data;
  const at = (p: string) => path.resolve(serverDir, p);
  return {
    configPath: at(e.KAYOS_CC_CONFIG),
    secretsPath: at(e.KAYOS_CC_SECRETS),
    dataDir: at(e.KAYOS_CC_DATA),
    publicDir: at("public"),
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
  };
}
