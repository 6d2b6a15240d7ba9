import net from "node:net";
import { describe, expect, it } from "vitest";
import { assertPortFree, freePort, PortInUseError } from "./ports";

describe("assertPortFree", () => {
  it("passes for a free port", async () => {
    await expect(assertPortFree(await freePort(), "WEB_PORT")).resolves.toBeUndefined();
  });

  it("names the port and the variable that moves it when the port is taken", async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const error = await assertPortFree(port, "NEXUS_PORT").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PortInUseError);
      expect((error as Error).message).toBe(
        `Port ${port} is already in use. Stop what is using it, or set NEXUS_PORT to another port (e.g. NEXUS_PORT=${port + 100}).`,
      );
    } finally {
      server.close();
    }
  });
});
