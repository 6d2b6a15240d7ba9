// Role templates for casbin: tenant-agnostic (domain "*"), inherited viewer < builder < admin < owner.
// Who holds which role where is the memberships table, looked up per request.
export const ROLES = ["owner", "admin", "builder", "viewer"] as const;
export type RoleName = (typeof ROLES)[number];

export const RESOURCES = [
  "org",
  "members",
  "servers",
  "agents",
  "runs",
  "conversations",
  "commandCenter",
  "analytics",
  "apiTokens",
  "audit",
  "health",
] as const;
export type Resource = (typeof RESOURCES)[number];
export const ACTIONS = ["read", "write", "execute", "delete"] as const;
export type Action = (typeof ACTIONS)[number];

type Rule = [role: RoleName, resource: Resource | "*", action: Action | "*"];

const rules: Rule[] = [
  ["viewer", "org", "read"],
  ["viewer", "members", "read"],
  ["viewer", "servers", "read"],
  ["viewer", "agents", "read"],
  ["viewer", "runs", "read"],
  ["viewer", "conversations", "read"],
  ["viewer", "commandCenter", "read"],
  ["viewer", "analytics", "read"],
  ["viewer", "health", "read"],
  ["builder", "agents", "write"],
  ["builder", "agents", "execute"],
  ["builder", "runs", "write"],
  ["builder", "conversations", "write"],
  ["builder", "commandCenter", "write"],
  ["builder", "apiTokens", "read"],
  ["builder", "apiTokens", "write"],
  ["admin", "servers", "write"],
  ["admin", "servers", "delete"],
  ["admin", "agents", "delete"],
  ["admin", "members", "write"],
  ["admin", "audit", "read"],
  ["admin", "commandCenter", "execute"],
  ["owner", "*", "*"],
];

/** The rows of the authorization_rules table (casbin's ptype, v0..v3). */
export const DEFAULT_POLICY: { ptype: "p" | "g"; v0: string; v1: string; v2?: string; v3?: string }[] = [
  ...rules.map(([role, obj, act]) => ({ ptype: "p" as const, v0: role, v1: "*", v2: obj, v3: act })),
  { ptype: "g", v0: "builder", v1: "viewer" },
  { ptype: "g", v0: "admin", v1: "builder" },
  { ptype: "g", v0: "owner", v1: "admin" },
];
