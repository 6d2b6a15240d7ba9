// Wire contracts of the agent services (nexus :8000, smith :8001, observer :8081), imported by the
// services (to validate and document) and by the control plane's clients (to call and parse).
export * from "./agent-types";
export * from "./common";
export * from "./observer";
export * from "./smith";
export * from "./nexus";
