export { defineEnv, EnvError, port } from "./define";
export { secretsEnv } from "./secrets";
