// One way to name a problem in a config or secrets file: its JSON path and what is wrong.
export interface ConfigIssue {
  path: string;
  message: string;
}

/** `["agents", 1, "config", "url"]` -> `agents[1].config.url`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

export const formatIssues = (issues: readonly ConfigIssue[]) => issues.map((i) => `${i.path || "(root)"}: ${i.message}`);
