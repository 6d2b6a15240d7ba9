export { defineEnv, EnvError, port } from "./define";
export { DEV_ENCRYPTION_KEY, secretsEnv } from "./secrets";
