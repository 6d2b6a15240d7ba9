// The `http_get` tool's fetch, safe to point at URLs a graph (or a model's plan) chose: only http and
// https; every host name is resolved and refused when any of its addresses is loopback, private,
// link-local, unspecified, multicast, CGNAT or reserved, unless the host is listed in
// NEXUS_HTTP_ALLOW_HOSTS; the connection goes to the address that was checked (no second DNS answer
// can swap it); each redirect is checked the same way; one timeout covers the whole fetch; the body is
// read up to a byte cap and the connection closed there.
import type { LookupAddress } from "node:dns";
import dns from "node:dns/promises";
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import net, { type LookupFunction } from "node:net";
import { pipeline, type Readable } from "node:stream";
import zlib from "node:zlib";

/** A NEXUS_HTTP_ALLOW_HOSTS entry: a host (any port) or host:port. `host` is as URL.hostname writes it, IPv6 without brackets. */
export interface AllowedHost {
  host: string;
  port?: number;
}

export interface HttpGetSettings {
  allowHosts: readonly AllowedHost[];
  timeoutMs: number;
  maxBytes: number;
  /** Redirects followed (each checked like the first URL); one more fails the fetch. Default 5. */
  maxRedirects?: number;
}

export interface HttpGetResult {
  status: number;
  /** The URL the body came from (after redirects). */
  url: string;
  body: string;
  /** True when the body was longer than the cap: `body` is its first bytes and the rest was never read. */
  truncated: boolean;
}

const HOW_TO_ALLOW = "loopback and private addresses are not reachable from graphs";

/** Parses one NEXUS_HTTP_ALLOW_HOSTS entry; a string is the problem with it. */
export function parseAllowHost(entry: string): AllowedHost | string {
  const text = entry.trim();
  if (/[/@\s?#]/.test(text)) return `"${entry}" is not a host or host:port (write e.g. 127.0.0.1:8001 or myhost.internal, not a URL)`;
  let host = text;
  let port: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  if (bracketed) [, host = "", port] = bracketed;
  else if ((text.match(/:/g) ?? []).length === 1) [host = "", port] = text.split(":");
  let hostname: string;
  try {
    hostname = bareHost(new URL(`http://${net.isIPv6(host) ? `[${host}]` : host}/`).hostname);
  } catch {
    return `"${entry}" is not a valid host`;
  }
  if (!hostname) return `"${entry}" has no host`;
  if (port === undefined) return { host: hostname };
  const n = Number(port);
  if (!/^\d+$/.test(port) || n < 1 || n > 65535) return `"${entry}" has an invalid port (1-65535)`;
  return { host: hostname, port: n };
}

/** Why `address` may not be fetched (e.g. "loopback"), or undefined for a public address. */
export function refusedKind(address: string): string | undefined {
  const v4 = ipv4(address);
  if (v4 !== undefined) return v4Kind(v4);
  const v6 = ipv6(address);
  if (v6 === undefined) return "unrecognised";
  return v6Kind(v6);
}

function v4Kind(a: number): string | undefined {
  const within = (base: string, bits: number) => bits === 0 || a >>> (32 - bits) === ipv4(base)! >>> (32 - bits);
  if (within("0.0.0.0", 8)) return "unspecified";
  if (within("127.0.0.0", 8)) return "loopback";
  if (within("10.0.0.0", 8) || within("172.16.0.0", 12) || within("192.168.0.0", 16)) return "private";
  if (within("169.254.0.0", 16)) return "link-local";
  if (within("100.64.0.0", 10)) return "CGNAT (shared)";
  if (within("224.0.0.0", 4)) return "multicast";
  if (within("240.0.0.0", 4) || within("192.0.0.0", 24) || within("198.18.0.0", 15)) return "reserved";
  return undefined;
}

function v6Kind(g: number[]): string | undefined {
  const prefix = (...groups: number[]) => groups.every((v, i) => g[i] === v);
  const v4At = (i: number) => ((g[i]! << 16) | g[i + 1]!) >>> 0;
  if (g.every((v) => v === 0)) return "unspecified";
  if (g.slice(0, 7).every((v) => v === 0) && g[7] === 1) return "loopback";
  // IPv4 inside IPv6: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d), NAT64 (64:ff9b::/96), 6to4 (2002::/16), Teredo (2001::/32).
  if (prefix(0, 0, 0, 0, 0, 0xffff) || prefix(0, 0, 0, 0, 0, 0)) return v4Kind(v4At(6));
  if (prefix(0x64, 0xff9b, 0, 0, 0, 0)) return v4Kind(v4At(6));
  if (prefix(0x64, 0xff9b, 1)) return "private";
  if (prefix(0x2002)) return v4Kind(v4At(1));
  if (prefix(0x2001, 0)) return v4Kind(~v4At(6) >>> 0);
  const first = g[0]!;
  if ((first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfec0) return "private";
  if ((first & 0xffc0) === 0xfe80) return "link-local";
  if ((first & 0xff00) === 0xff00) return "multicast";
  if (prefix(0x100, 0, 0, 0)) return "reserved";
  return undefined;
}

function ipv4(text: string): number | undefined {
  if (!net.isIPv4(text)) return undefined;
  return text.split(".").reduce((acc, part) => ((acc << 8) | Number(part)) >>> 0, 0);
}

/** Eight 16-bit groups, or undefined when `text` is not an IPv6 address. */
function ipv6(text: string): number[] | undefined {
  let s = text.split("%")[0]!.toLowerCase();
  if (!net.isIPv6(s)) return undefined;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    const v = ipv4(dotted[1]!);
    if (v === undefined) return undefined;
    s = `${s.slice(0, dotted.index)}${(v >>> 16).toString(16)}:${(v & 0xffff).toString(16)}`;
  }
  const [head = "", tail] = s.split("::");
  const parse = (part: string) => (part ? part.split(":").map((h) => parseInt(h, 16)) : []);
  const a = parse(head);
  const b = tail === undefined ? [] : parse(tail);
  const groups = tail === undefined ? a : [...a, ...Array<number>(8 - a.length - b.length).fill(0), ...b];
  return groups.length === 8 && groups.every((v) => Number.isInteger(v) && v >= 0 && v <= 0xffff) ? groups : undefined;
}

const bareHost = (hostname: string) => hostname.replace(/^\[|\]$/g, "").replace(/\.$/, "").toLowerCase();
const portOf = (url: URL) => (url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80);
const hostPort = (host: string, port: number) => `${net.isIPv6(host) ? `[${host}]` : host}:${port}`;

function isAllowed(allow: readonly AllowedHost[], host: string, port: number) {
  return allow.some((a) => a.host === host && (a.port === undefined || a.port === port));
}

class TimedOut extends Error {}

/** GETs `url` under the rules above; throws an Error saying what was refused or what failed. */
export async function httpGet(url: string, settings: HttpGetSettings, signal: AbortSignal): Promise<HttpGetResult> {
  const maxRedirects = settings.maxRedirects ?? 5;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new TimedOut()), settings.timeoutMs);
  const onAbort = () => controller.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener("abort", onAbort, { once: true });
  let current = parseUrl(url);
  let via: string | undefined;
  try {
    for (let redirects = 0; ; redirects++) {
      const addresses = await vet(current, settings.allowHosts, controller.signal, via);
      const res = await request(current, addresses, controller.signal);
      const location = res.headers.location;
      if (res.statusCode && [301, 302, 303, 307, 308].includes(res.statusCode) && location) {
        res.destroy();
        let next: URL;
        try {
          next = new URL(location, current);
        } catch {
          throw new Error(`http_get got a redirect from ${current.href} to an invalid URL: ${location.slice(0, 200)}`);
        }
        if (next.protocol !== "http:" && next.protocol !== "https:") {
          throw new Error(`http_get refused the redirect from ${current.href} to ${next.href.slice(0, 200)}: only http and https URLs are fetched`);
        }
        if (redirects >= maxRedirects) throw new Error(`http_get stopped after ${maxRedirects} redirects (the last one from ${current.href} to ${next.href})`);
        via = current.href;
        current = next;
        continue;
      }
      const { body, truncated } = await readCapped(res, current.href, settings.maxBytes, controller.signal);
      return { status: res.statusCode ?? 0, url: current.href, body, truncated };
    }
  } catch (error) {
    if (controller.signal.reason instanceof TimedOut) {
      throw new Error(`http_get timed out after ${settings.timeoutMs} ms fetching ${current.href}; raise NEXUS_HTTP_TIMEOUT_MS to wait longer`);
    }
    if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : error;
    throw error;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", onAbort);
  }
}

function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`http_get needs an absolute http:// or https:// URL, got ${JSON.stringify(text.slice(0, 200))}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`http_get refused ${url.protocol}// URL ${url.href.slice(0, 200)}: only http and https URLs are fetched`);
  return url;
}

/** The addresses `url`'s host may be reached at; throws when one of them is refused. */
async function vet(url: URL, allow: readonly AllowedHost[], signal: AbortSignal, via: string | undefined): Promise<LookupAddress[]> {
  const host = bareHost(url.hostname);
  const port = portOf(url);
  let addresses: LookupAddress[];
  const family = net.isIP(host);
  if (family) addresses = [{ address: host, family }];
  else {
    try {
      addresses = await abortable(dns.lookup(host, { all: true, verbatim: true }), signal);
    } catch (error) {
      if (signal.aborted) throw error;
      throw new Error(`http_get could not resolve ${host}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    if (addresses.length === 0) throw new Error(`http_get could not resolve ${host}: no addresses`);
  }
  if (isAllowed(allow, host, port)) return addresses;
  for (const { address } of addresses) {
    const kind = refusedKind(address);
    if (kind === undefined) continue;
    const what = family ? `a ${kind} address` : `it resolves to ${address}, a ${kind} address`;
    const redirect = via ? `, redirected from ${via}` : "";
    throw new Error(
      `http_get refused ${hostPort(host, port)} (${what}${redirect}): ${HOW_TO_ALLOW}; list the host in NEXUS_HTTP_ALLOW_HOSTS to allow it (e.g. NEXUS_HTTP_ALLOW_HOSTS=${hostPort(host, port)})`,
    );
  }
  return addresses;
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** Sends the GET to `addresses` only: the socket's lookup answers with them instead of asking DNS again. */
function request(url: URL, addresses: LookupAddress[], signal: AbortSignal): Promise<IncomingMessage> {
  const lookup: LookupFunction = (_hostname, options, callback) => {
    const list = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
    if (list.length === 0) return callback(Object.assign(new Error(`no IPv${options.family} address`), { code: "ENOTFOUND" }), "", 0);
    if (options.all) return callback(null, list);
    callback(null, list[0]!.address, list[0]!.family);
  };
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(url, {
      method: "GET",
      // A fresh connection each time: a pooled socket might belong to an address checked for another fetch.
      agent: false,
      lookup,
      signal,
      headers: { "user-agent": "KayNexus-http_get", accept: "*/*", "accept-encoding": "gzip, deflate, br" },
    });
    req.once("response", resolve);
    req.once("error", (error) => reject(signal.aborted ? signal.reason : new Error(`http_get could not fetch ${url.href}: ${error.message}`)));
    req.end();
  });
}

/** Reads at most `maxBytes` of the (decompressed) body, then closes the connection. */
async function readCapped(res: IncomingMessage, url: string, maxBytes: number, signal: AbortSignal): Promise<{ body: string; truncated: boolean }> {
  const encoding = String(res.headers["content-encoding"] ?? "").trim().toLowerCase();
  const decoder =
    encoding === "gzip" || encoding === "x-gzip"
      ? zlib.createGunzip()
      : encoding === "deflate"
        ? zlib.createInflate()
        : encoding === "br"
          ? zlib.createBrotliDecompress()
          : undefined;
  const stream: Readable = decoder ? pipeline(res, decoder, () => undefined) : res;
  // Aborting (timeout, stop) ends the read at once, also between chunks.
  const onAbort = () => {
    res.destroy();
    stream.destroy(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
  };
  signal.addEventListener("abort", onAbort, { once: true });
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  try {
    for await (const chunk of stream) {
      const buf = chunk as Buffer;
      if (size + buf.length > maxBytes) {
        chunks.push(buf.subarray(0, maxBytes - size));
        size = maxBytes;
        truncated = true;
        break;
      }
      chunks.push(buf);
      size += buf.length;
    }
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw new Error(`http_get could not read the body of ${url}: ${(error as Error).message}`);
  } finally {
    signal.removeEventListener("abort", onAbort);
    res.destroy();
    stream.destroy();
  }
  // Cut mid-character: the incomplete tail is dropped rather than shown as garbage.
  return { body: new TextDecoder().decode(Buffer.concat(chunks), { stream: truncated }), truncated };
}
