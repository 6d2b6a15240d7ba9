// The Command Center built in-process on a real port, restartable on the same files (a redeploy).
import path from "node:path";
import { loadConfig } from "../src/config/load";
import { buildServer } from "../src/server";

export async function startServer(paths: { config: string; secrets: string; data: string }) {
  const start = async () => {
    const app = await buildServer({ ...loadConfig(paths), dataDir: paths.data, publicDir: path.join(paths.data, "no-public"), version: "test", logLevel: "silent" });
    await app.listen({ host: "127.0.0.1", port: 0 });
    const address = app.server.address();
    if (!address || typeof address === "string") throw new Error("no address");
    return { app, base: `http://127.0.0.1:${address.port}` };
  };
  let current = await start();
  return {
    get base() {
      return current.base;
    },
    async restart() {
      await current.app.close();
      current = await start();
    },
    close: () => current.app.close(),
  };
}
