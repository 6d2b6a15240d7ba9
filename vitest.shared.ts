// Timeouts for every test project. Projects named by config file do not inherit the root config's
// test options, so each project spreads these (integration tests start real servers and processes).
export const timeouts = { testTimeout: 30_000, hookTimeout: 60_000 } as const;
