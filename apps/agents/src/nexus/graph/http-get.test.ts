// http_get's guard against server-side request forgery: refused address ranges, the allow-list,
// redirects checked hop by hop, the connection pinned to the checked address, the timeout and the
// streamed size cap. Local servers on 127.0.0.1 stand in for internal services.
import dns from "node:dns/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { nexusEnv } from "../env";
import { httpGet, parseAllowHost, refusedKind, type HttpGetSettings } from "./http-get";
import { TOOLS } from "./tools";

interface Served {
  url: string;
  port: number;
  hits: string[];
  /** Bytes the /huge route wrote before the client hung up. */
  hugeWritten: () => number;
  hugeClosed: Promise<void>;
  close: () => Promise<void>;
}

async function serve(redirectTo?: () => string): Promise<Served> {
  const hits: string[] = [];
  let hugeWritten = 0;
  let closedHuge!: () => void;
  const hugeClosed = new Promise<void>((r) => (closedHuge = r));
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? "");
    const path = req.url ?? "/";
    if (path === "/hello") return res.end("hello");
    if (path === "/redirect-away") return res.writeHead(302, { location: redirectTo!() }).end();
    if (path === "/redirect-home") return res.writeHead(301, { location: "/hello" }).end();
    if (path === "/redirect-file") return res.writeHead(302, { location: "file:///etc/passwd" }).end();
    if (path === "/loop") return res.writeHead(302, { location: "/loop" }).end();
    if (path === "/slow-headers") return void setTimeout(() => res.end("late"), 5_000).unref();
    if (path === "/slow-body") {
      res.writeHead(200);
      res.write("start");
      return void setTimeout(() => res.end("end"), 5_000).unref();
    }
    if (path === "/gzip") {
      res.writeHead(200, { "content-encoding": "gzip" });
      return res.end(zlib.gzipSync("z".repeat(50_000)));
    }
    if (path === "/utf8") return res.end("é".repeat(10));
    if (path === "/huge") {
      // Endless: a client that read it all would never finish.
      res.writeHead(200, { "content-type": "text/plain" });
      const chunk = Buffer.alloc(64 * 1024, "x");
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) hugeWritten += chunk.length;
        if (!res.destroyed) res.once("drain", pump);
      };
      res.once("close", () => closedHuge());
      return pump();
    }
    res.writeHead(404).end("nope");
  });
  server.keepAliveTimeout = 100;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    hits,
    hugeWritten: () => hugeWritten,
    hugeClosed,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

let allowed: Served;
let internal: Served;
beforeAll(async () => {
  internal = await serve();
  allowed = await serve(() => `${internal.url}/secret`);
});
afterAll(async () => {
  await allowed.close();
  await internal.close();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const never = new AbortController().signal;
const settings = (over: Partial<HttpGetSettings> = {}): HttpGetSettings => ({
  allowHosts: [{ host: "127.0.0.1", port: allowed.port }],
  timeoutMs: 2_000,
  maxBytes: 100_000,
  ...over,
});

describe("address ranges", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["::1", "loopback"],
    ["0.0.0.0", "unspecified"],
    ["::", "unspecified"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["fc00::1", "private"],
    ["fd12:3456::1", "private"],
    ["169.254.169.254", "link-local"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["100.64.0.1", "CGNAT (shared)"],
    ["100.127.255.255", "CGNAT (shared)"],
    ["224.0.0.1", "multicast"],
    ["ff02::1", "multicast"],
    ["255.255.255.255", "reserved"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:169.254.169.254", "link-local"],
    ["64:ff9b::a00:1", "private"],
    ["2002:c0a8:101::1", "private"],
  ])("refuses %s (%s)", (address, kind) => {
    expect(refusedKind(address)).toBe(kind);
  });

  it.each(["8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "169.255.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8", "2002:808:808::1"])("lets %s through", (address) => {
    expect(refusedKind(address)).toBeUndefined();
  });
});

describe("NEXUS_HTTP_ALLOW_HOSTS", () => {
  it("parses hosts and host:port, normalised as URLs write them", () => {
    expect(parseAllowHost("LocalHost")).toEqual({ host: "localhost" });
    expect(parseAllowHost("127.0.0.1:8001")).toEqual({ host: "127.0.0.1", port: 8001 });
    expect(parseAllowHost("[::1]:8080")).toEqual({ host: "::1", port: 8080 });
    expect(parseAllowHost("::1")).toEqual({ host: "::1" });
    expect(parseAllowHost("http://x")).toMatch(/not a host or host:port/);
    expect(parseAllowHost("x:0")).toMatch(/invalid port/);
  });

  it("is read by nexusEnv, which refuses a bad entry naming it, and the defaults bound fetches and runs", () => {
    expect(nexusEnv({ NEXUS_HTTP_ALLOW_HOSTS: "smith.internal, 127.0.0.1:8001" }).NEXUS_HTTP_ALLOW_HOSTS).toEqual([{ host: "smith.internal" }, { host: "127.0.0.1", port: 8001 }]);
    expect(() => nexusEnv({ NEXUS_HTTP_ALLOW_HOSTS: "ok,http://bad/" })).toThrow(/NEXUS_HTTP_ALLOW_HOSTS: "http:\/\/bad\/" is not a host/);
    const defaults = nexusEnv({});
    expect(defaults).toMatchObject({ NEXUS_HTTP_ALLOW_HOSTS: [], NEXUS_HTTP_TIMEOUT_MS: 10_000, NEXUS_HTTP_MAX_BYTES: 100_000, NEXUS_GRAPH_MAX_STEPS: 200, NEXUS_GRAPH_MAX_STEPS_LIMIT: 10_000 });
  });
});

describe("httpGet", () => {
  it("refuses loopback by default (the tool with Nexus's default settings), saying how to allow it, without connecting", async () => {
    const config = nexusEnv({});
    const run = TOOLS.http_get.run({ url: `${internal.url}/openapi.json` }, { shared: { input: {}, results: {} }, signal: never, config });
    await expect(run).rejects.toThrow(
      `http_get refused 127.0.0.1:${internal.port} (a loopback address): loopback and private addresses are not reachable from graphs; list the host in NEXUS_HTTP_ALLOW_HOSTS to allow it (e.g. NEXUS_HTTP_ALLOW_HOSTS=127.0.0.1:${internal.port})`,
    );
    expect(internal.hits).toEqual([]);
  });

  it("refuses other spellings of internal addresses and names that resolve to them", async () => {
    const p = internal.port;
    for (const url of [`http://2130706433:${p}/`, `http://0x7f.1:${p}/`, `http://[::ffff:127.0.0.1]:${p}/`, `http://0.0.0.0:${p}/`, "http://169.254.169.254/latest/meta-data/"]) {
      await expect(httpGet(url, settings(), never), url).rejects.toThrow(/http_get refused .*(loopback|unspecified|link-local) address.*NEXUS_HTTP_ALLOW_HOSTS/);
    }
    await expect(httpGet(`http://localhost:${p}/`, settings(), never)).rejects.toThrow(
      new RegExp(`http_get refused localhost:${p} \\(it resolves to (127\\.0\\.0\\.1|::1), a loopback address\\)`),
    );
    expect(internal.hits).toEqual([]);
  });

  it("refuses a name when any of its addresses is internal", async () => {
    vi.spyOn(dns, "lookup").mockResolvedValue([
      { address: "8.8.8.8", family: 4 },
      { address: "10.0.0.7", family: 4 },
    ] as never);
    await expect(httpGet("http://mixed.example/", settings(), never)).rejects.toThrow(/refused mixed\.example:80 \(it resolves to 10\.0\.0\.7, a private address\)/);
  });

  it("fetches a listed host, and a listed host only on its port", async () => {
    expect(await httpGet(`${allowed.url}/hello`, settings(), never)).toEqual({ status: 200, url: `${allowed.url}/hello`, body: "hello", truncated: false });
    await expect(httpGet(`${internal.url}/hello`, settings(), never)).rejects.toThrow(/refused 127\.0\.0\.1/);
    expect((await httpGet(`${internal.url}/hello`, settings({ allowHosts: [{ host: "127.0.0.1" }] }), never)).body).toBe("hello");
  });

  it("connects to the address it checked, never asking DNS again", async () => {
    const lookup = vi.spyOn(dns, "lookup").mockResolvedValue([{ address: "127.0.0.1", family: 4 }] as never);
    // pinned.invalid exists nowhere: a second resolution by the socket would fail.
    const res = await httpGet(`http://pinned.invalid:${allowed.port}/hello`, settings({ allowHosts: [{ host: "pinned.invalid" }] }), never);
    expect(res.body).toBe("hello");
    expect(lookup).toHaveBeenCalledTimes(1);
  });

  it("checks every redirect: to a refused address it stops before connecting; within the allowed host it follows", async () => {
    internal.hits.length = 0;
    await expect(httpGet(`${allowed.url}/redirect-away`, settings(), never)).rejects.toThrow(
      `http_get refused 127.0.0.1:${internal.port} (a loopback address, redirected from ${allowed.url}/redirect-away)`,
    );
    expect(internal.hits).toEqual([]);
    expect(await httpGet(`${allowed.url}/redirect-home`, settings(), never)).toMatchObject({ status: 200, url: `${allowed.url}/hello`, body: "hello" });
    await expect(httpGet(`${allowed.url}/redirect-file`, settings(), never)).rejects.toThrow(/refused the redirect .* to file:\/\/\/etc\/passwd: only http and https/);
    await expect(httpGet(`${allowed.url}/loop`, settings(), never)).rejects.toThrow(/stopped after 5 redirects/);
  });

  it("refuses non-http schemes", async () => {
    await expect(httpGet("file:///etc/passwd", settings(), never)).rejects.toThrow(/refused file:\/\/ URL/);
    expect(TOOLS.http_get.args.safeParse({ url: "file:///etc/passwd" }).error?.issues[0]?.message).toBe("must be an absolute http:// or https:// URL");
    expect(TOOLS.http_get.args.safeParse({ url: "gopher://x/" }).success).toBe(false);
    expect(TOOLS.http_get.args.safeParse({ url: "https://example.com/x" }).success).toBe(true);
  });

  it("times out a server that is slow to answer or to finish the body", async () => {
    for (const path of ["/slow-headers", "/slow-body"]) {
      const t = Date.now();
      await expect(httpGet(`${allowed.url}${path}`, settings({ timeoutMs: 300 }), never)).rejects.toThrow(
        `http_get timed out after 300 ms fetching ${allowed.url}${path}; raise NEXUS_HTTP_TIMEOUT_MS to wait longer`,
      );
      expect(Date.now() - t).toBeLessThan(2_000);
    }
  });

  it("cuts a huge body at the cap without reading the rest, and closes the connection", async () => {
    const t = Date.now();
    const res = await httpGet(`${allowed.url}/huge`, settings({ maxBytes: 100_000, timeoutMs: 5_000 }), never);
    expect(Date.now() - t).toBeLessThan(2_000);
    expect(res).toMatchObject({ status: 200, truncated: true });
    expect(res.body).toHaveLength(100_000);
    await allowed.hugeClosed;
    // The server stopped after what fits in socket buffers, far from "everything" (it never ends).
    expect(allowed.hugeWritten()).toBeLessThan(20 * 1024 * 1024);
  });

  it("caps the decompressed body, and never splits a character", async () => {
    const gz = await httpGet(`${allowed.url}/gzip`, settings({ maxBytes: 1_000 }), never);
    expect(gz).toMatchObject({ truncated: true, body: "z".repeat(1_000) });
    const utf8 = await httpGet(`${allowed.url}/utf8`, settings({ maxBytes: 5 }), never);
    expect(utf8).toMatchObject({ truncated: true, body: "éé" });
  });

  it("stops when the run is stopped", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("stopped by the user")), 100);
    await expect(httpGet(`${allowed.url}/slow-headers`, settings({ timeoutMs: 5_000 }), controller.signal)).rejects.toThrow("stopped by the user");
  });
});
