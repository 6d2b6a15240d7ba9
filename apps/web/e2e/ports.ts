// Fixed ports for the end-to-end stack, away from `npm run dev`'s so both can run at once.
const port = (variable: string, fallback: number) => Number(process.env[variable] ?? fallback);

export const E2E = {
  webPort: port("E2E_WEB_PORT", 3100),
  nexusPort: port("E2E_NEXUS_PORT", 8100),
  smithPort: port("E2E_SMITH_PORT", 8101),
  observerPort: port("E2E_OBSERVER_PORT", 8181),
  get webUrl() {
    return `http://localhost:${this.webPort}`;
  },
  demo: { email: "demo@kayos.local", password: "e2e-demo-password" },
  observerDown: { email: "observer-down@kayos.local", password: "e2e-other-password" },
  viewer: { email: "viewer@kayos.local", password: "e2e-viewer-password" },
  /** A second agent-services key of the demo organization, for a server of its own added in a spec. */
  spareKey: "kay_e2e_spare_key_0123456789",
  /** Where the Command Center spec deploys to (set by the global setup). */
  commandCenter: {
    get root() {
      return process.env.E2E_CC_ROOT ?? "";
    },
    get url() {
      return `http://127.0.0.1:${process.env.E2E_CC_PORT ?? ""}`;
    },
  },
};
