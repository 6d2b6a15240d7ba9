// Deploys a Command Center release to a customer server over SSH (see README.md).
export { deployRelease } from "./deploy";
export { listReleases, rollback } from "./rollback";
export { DeployError } from "./errors";
export { quote as shellQuote } from "./remote-shell";
export { verifyHostKey } from "./ssh-session";
export {
  deployResultSchema,
  deployStepNames,
  deployStepSchema,
  versionSchema,
  type DeployOptions,
  type DeployResult,
  type DeployStep,
  type DeployStepName,
  type ListReleasesOptions,
  type ReleaseList,
  type RollbackOptions,
  type SshTarget,
} from "./types";
