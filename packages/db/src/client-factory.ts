import { PrismaPg } from "@prisma/adapter-pg";

/**
 * One client per database URL per process, kept on globalThis so that Next's hot reload and
 * repeated imports do not open new pools.
 */
export function cachedClient<T>(kind: string, url: string, create: (adapter: PrismaPg) => T): T {
  const cache = ((globalThis as { __kayosPrisma?: Map<string, unknown> }).__kayosPrisma ??= new Map());
  const key = `${kind}:${url}`;
  let client = cache.get(key) as T | undefined;
  if (!client) {
    client = create(new PrismaPg({ connectionString: url, max: 10 }));
    cache.set(key, client);
  }
  return client;
}
