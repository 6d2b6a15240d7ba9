export { commandCenterReleaseDir, startStack, type Stack, type StackOptions } from "./stack";
export { stackEnv, ROOT, type StackEnv } from "./env";
export { assertPortFree, freePort, PortInUseError } from "./ports";
export { provideDatabases } from "./database";
