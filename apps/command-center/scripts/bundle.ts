// Builds the release: dist/release/server.mjs (the whole server, every dependency inlined, so it runs
// with plain `node server.mjs` and no node_modules), public/ (the React client) and release.json.
// No config or secret goes in: the control plane writes those next to it on the server.
import { build, type Plugin } from "esbuild";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const app = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const defaultOut = path.join(app, "dist", "release");

/** zod re-exports every locale (~250 KB); the server speaks English only, which zod imports itself. */
const withoutZodLocales: Plugin = {
  name: "without-zod-locales",
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => (args.importer.includes(`${path.sep}zod${path.sep}`) ? { path: "zod-locales", namespace: "stub" } : undefined));
    b.onLoad({ filter: /.*/, namespace: "stub" }, () => ({ contents: "export {};", loader: "js" }));
  },
};

/** Builds into `out` (dist/release by default; tests build their own copy so runs never race). */
export async function bundle(out = defaultOut): Promise<{ dir: string; version: string }> {
  const pub = path.join(out, "public");
  rmSync(out, { recursive: true, force: true });
  mkdirSync(pub, { recursive: true });

  await build({
    entryPoints: [path.join(app, "src/main.ts")],
    outfile: path.join(out, "server.mjs"),
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    minify: true,
    keepNames: true,
    legalComments: "none",
    logLevel: "warning",
    plugins: [withoutZodLocales],
    // Fastify and pino are CommonJS and require() Node's modules; ESM output needs a require.
    banner: { js: "import { createRequire as __ccRequire } from 'node:module'; const require = __ccRequire(import.meta.url);" },
  });

  const client = await build({
    entryPoints: { app: path.join(app, "src/client/main.tsx"), styles: path.join(app, "src/client/styles.css") },
    outdir: pub,
    entryNames: "[name]-[hash]",
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    jsx: "automatic",
    minify: true,
    metafile: true,
    legalComments: "none",
    logLevel: "warning",
    define: { "process.env.NODE_ENV": '"production"' },
  });
  const outputs = Object.keys(client.metafile.outputs).map((f) => path.basename(f));
  const js = outputs.find((f) => f.startsWith("app-") && f.endsWith(".js"));
  const css = outputs.find((f) => f.startsWith("styles-") && f.endsWith(".css"));
  if (!js || !css) throw new Error(`client bundle incomplete: ${outputs.join(", ")}`);
  const html = readFileSync(path.join(app, "src/client/index.html"), "utf8")
    .replace("<!-- styles -->", `<link rel="stylesheet" href="/${css}">`)
    .replace("<!-- script -->", `<script type="module" src="/${js}"></script>`);
  writeFileSync(path.join(pub, "index.html"), html);

  // The version names the content: the same sources give the same version.
  const hash = createHash("sha256");
  for (const file of ["server.mjs", ...readdirSync(pub).sort().map((f) => `public/${f}`)]) hash.update(file).update(readFileSync(path.join(out, file)));
  const pkg = JSON.parse(readFileSync(path.join(app, "package.json"), "utf8")) as { version: string };
  const version = `${pkg.version}+${hash.digest("hex").slice(0, 12)}`;
  writeFileSync(path.join(out, "release.json"), `${JSON.stringify({ name: "kayos-command-center", version, built_at: new Date().toISOString() }, null, 2)}\n`);
  return { dir: out, version };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { dir, version } = await bundle();
  const size = (p: string): number => readdirSync(p, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? size(path.join(p, e.name)) : readFileSync(path.join(p, e.name)).length), 0);
  process.stdout.write(`Built ${version} in ${path.relative(process.cwd(), dir) || dir} (${Math.round(size(dir) / 1024)} KB)\n`);
}
